package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ViewPointers;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes scored rows to the online store as a feature view of precomputed answers, keyed by the
 * key columns. Rows go to a new version {@code view@N} that no reader is pointed at; {@link #commit}
 * moves the view's pointer to N in one atomic write ({@link ViewPointers#publish}), so readers of
 * {@code view} switch from the complete old version to the complete new one. A run that fails or
 * is closed before commit drops what it wrote; the previous version stays served and retained.
 */
public final class OnlineViewSink implements ResultSink {

    private final OnlineStore store;
    private final ViewPointers pointers;
    private final String view;
    private final List<String> keyColumns;
    private final Instant eventTime;
    private final int retain;
    private final long version;
    private List<Field> joinKeys;
    private List<String> features;
    private long rows;
    private boolean committed;

    private OnlineViewSink(OnlineStore store, ViewPointers pointers, String view, List<String> keyColumns, Instant eventTime,
                           int retain) {
        this.store = store;
        this.pointers = pointers;
        this.view = view;
        this.keyColumns = List.copyOf(keyColumns);
        this.eventTime = eventTime;
        this.retain = retain;
        this.version = pointers.nextVersion(view);
        store.dropView(versioned());
    }

    /**
     * A sink filling the next version of {@code view} (a name without {@code @version}), keyed by
     * {@code keyColumns}, every value stamped with {@code eventTime}, keeping {@code retain}
     * versions (at least 2: the served one and one to roll back to).
     */
    public static OnlineViewSink to(OnlineStore store, ViewPointers pointers, String view, List<String> keyColumns,
                                    Instant eventTime, int retain) {
        OnlineStore.checkView(view);
        if (view.contains("@")) {
            throw new InvalidInputException("online view was '" + view + "' but it must be named without a version; versions are assigned per run");
        }
        if (keyColumns.isEmpty()) {
            throw new InvalidInputException("key columns were empty but an online view needs at least one key column");
        }
        if (retain < 2) {
            throw new InvalidInputException("retain was " + retain + " but it must be at least 2, so a rollback target stays stored");
        }
        return new OnlineViewSink(store, pointers, view, keyColumns, eventTime, retain);
    }

    /** The version this sink fills. */
    public long version() {
        return version;
    }

    private String versioned() {
        return view + "@" + version;
    }

    @Override
    public void write(List<Row> batch) {
        List<OnlineRecord> records = new ArrayList<>(batch.size());
        for (Row r : batch) {
            if (joinKeys == null) {
                describeView(r);
            }
            List<Object> key = new ArrayList<>(keyColumns.size());
            for (int i = 0; i < keyColumns.size(); i++) {
                key.add(joinKeys.get(i).type().coerce(keyColumns.get(i), r.get(keyColumns.get(i))));
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (String f : features) {
                values.put(f, canonical(r.get(f)));
            }
            records.add(new OnlineRecord(EntityKey.of(key), values, eventTime));
        }
        store.write(versioned(), records);
        rows += batch.size();
    }

    private void describeView(Row first) {
        List<Field> keys = new ArrayList<>();
        for (String k : keyColumns) {
            Object v = first.get(k);
            if (v == null) {
                throw new InvalidInputException("key column '" + k + "' was null in the first row but a key value is required");
            }
            keys.add(Field.required(k, keyType(k, v)));
        }
        joinKeys = keys;
        features = first.values().keySet().stream().filter(c -> !keyColumns.contains(c)).toList();
    }

    private static FeatureType keyType(String column, Object v) {
        return switch (v) {
            case Integer i -> FeatureType.INT32;
            case Short s -> FeatureType.INT32;
            case Byte b -> FeatureType.INT32;
            case Long l -> FeatureType.INT64;
            case String s -> FeatureType.STRING;
            case Boolean b -> FeatureType.BOOL;
            default -> throw new InvalidInputException("key column '" + column + "' was " + v + " of type "
                    + v.getClass().getSimpleName() + " but a key must be an integer, a string or a bool");
        };
    }

    private static Object canonical(Object v) {
        if (v instanceof Short s) {
            return (int) s;
        }
        if (v instanceof Byte b) {
            return (int) b;
        }
        if (v instanceof Instant t) {
            return t.toString();
        }
        return v;
    }

    @Override
    public void commit() {
        if (joinKeys == null) {
            throw new InvalidInputException("the source had no rows, so view " + view + " keeps its current version;"
                    + " an empty answer set is not published");
        }
        pointers.publish(view, version, joinKeys, features, retain);
        committed = true;
    }

    @Override
    public String describe() {
        return "online view " + versioned() + (committed ? " (" + rows + " rows, now served)" : "");
    }

    @Override
    public void close() {
        if (!committed) {
            store.dropView(versioned());
        }
    }
}
