package dev.ferry.online;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The online feature store: the latest value of each feature of each entity, per feature view,
 * for low-latency serving. Writes upsert per entity and per feature by event time: an older event
 * never overwrites a newer one, an equal event time lets the later write win, and writing the same
 * record twice changes nothing. Implementations: {@link InMemoryOnlineStore} (tests),
 * {@code RocksDbOnlineStore} (embedded, default), {@code RedisOnlineStore} (shared, clustered),
 * and {@link NearCacheOnlineStore} in front of any of them. Every one passes OnlineStoreContract.
 *
 * <p>Views are versioned names such as {@code credit_history@2}: a batch writer fills a new
 * version, switches readers to it, then drops the old one.
 */
public interface OnlineStore extends AutoCloseable {

    /** Pass as max age to read values however old they are. */
    Duration NO_MAX_AGE = Duration.ofSeconds(Long.MAX_VALUE);

    /** Upserts the records into the view (see the class comment for the rules). */
    void write(String view, Collection<OnlineRecord> records);

    /**
     * Reads the features of many entities in one round trip. The answer has one entry per
     * requested key, in request order (a repeated key is answered twice), each with one
     * {@link FeatureValue} per requested feature, in request order. Values older than
     * {@code maxAge} relative to the store's clock come back as OUTSIDE_MAX_AGE.
     */
    List<EntityFeatures> read(String view, List<EntityKey> keys, List<String> features, Duration maxAge);

    /** {@link #read(String, List, List, Duration)} with no max age. */
    default List<EntityFeatures> read(String view, List<EntityKey> keys, List<String> features) {
        return read(view, keys, features, NO_MAX_AGE);
    }

    /**
     * One view's part of a {@link #readViews} call.
     *
     * @param view     the (versioned) view name
     * @param keys     the entities to read
     * @param features the features to read
     * @param maxAge   values older than this come back as OUTSIDE_MAX_AGE
     */
    record ViewRead(String view, List<EntityKey> keys, List<String> features, Duration maxAge) {
        public ViewRead {
            checkRead(view, keys, features, maxAge);
            keys = List.copyOf(keys);
            features = List.copyOf(features);
        }
    }

    /**
     * Reads several views at once: one answer per read, in order, each as {@link #read} would
     * give it. A request touching several views pays one round trip instead of one per view where
     * the store can do that (Redis sends every view's commands in one pipeline flush); this
     * default reads the views one after the other.
     */
    default List<List<EntityFeatures>> readViews(List<ViewRead> reads) {
        List<List<EntityFeatures>> out = new java.util.ArrayList<>(reads.size());
        for (ViewRead r : reads) {
            out.add(read(r.view(), r.keys(), r.features(), r.maxAge()));
        }
        return out;
    }

    /** Removes every entity of the view. Other views, including other versions of the same name, are untouched. */
    void dropView(String view);

    /** Releases connections, files and threads. Unchecked: closing a store does not fail in a way callers can act on. */
    @Override
    void close();

    /** View names: a letter or underscore, then letters, digits, '_', '.', '-', and an optional {@code @version}. */
    Pattern VIEW_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*(@[0-9]+)?");

    /**
     * Whether {@code view} matches {@link #VIEW_NAME}, checked by hand: every read checks its view
     * names, and the regex showed in serving profiles.
     */
    private static boolean isViewName(String view) {
        int n = view.length();
        int at = view.indexOf('@');
        int nameEnd = at < 0 ? n : at;
        if (nameEnd == 0) {
            return false;
        }
        for (int i = 0; i < nameEnd; i++) {
            char c = view.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            boolean other = (c >= '0' && c <= '9') || c == '.' || c == '-';
            if (!(letter || (i > 0 && other))) {
                return false;
            }
        }
        if (at < 0) {
            return true;
        }
        if (at == n - 1) {
            return false;
        }
        for (int i = at + 1; i < n; i++) {
            char c = view.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Throws InvalidInputException unless {@code view} is a valid view name; returns it. */
    static String checkView(String view) {
        if (view == null || view.isEmpty()) {
            throw new InvalidInputException("view was " + (view == null ? "null" : "empty")
                    + " but it must be a name like 'credit_history@2'");
        }
        if (!isViewName(view)) {
            throw new InvalidInputException("view was '" + view + "' but it must match " + VIEW_NAME.pattern()
                    + ", e.g. 'credit_history@2'");
        }
        return view;
    }

    /** Throws InvalidInputException unless {@code feature} is a non-empty name; returns it. */
    static String checkFeature(String feature) {
        if (feature == null || feature.isEmpty()) {
            throw new InvalidInputException("feature name was " + (feature == null ? "null" : "empty")
                    + " but it must be a non-empty name");
        }
        return feature;
    }

    /** Checks the arguments of a read the same way in every implementation. */
    static void checkRead(String view, List<EntityKey> keys, List<String> features, Duration maxAge) {
        checkView(view);
        if (keys == null) {
            throw new InvalidInputException("keys were null but they must be a list of entity keys");
        }
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) == null) {
                throw new InvalidInputException("key " + i + " was null but it must be an entity key");
            }
        }
        if (features == null || features.isEmpty()) {
            throw new InvalidInputException("features were empty but a read must name at least one feature");
        }
        features.forEach(OnlineStore::checkFeature);
        if (maxAge == null || maxAge.isNegative()) {
            throw new InvalidInputException("maxAge was " + maxAge + " but it must be zero or positive (NO_MAX_AGE for none)");
        }
    }

    /** Checks the arguments of a write the same way in every implementation. */
    static void checkWrite(String view, Collection<OnlineRecord> records) {
        checkView(view);
        if (records == null) {
            throw new InvalidInputException("records were null but they must be a collection of records");
        }
        for (OnlineRecord r : records) {
            if (r == null) {
                throw new InvalidInputException("a record was null but every record must be present");
            }
        }
    }
}
