package dev.ferry.serving;

import dev.ferry.InvalidInputException;
import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureStatus;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ViewPointers;
import dev.ferry.serving.OnlineStoreFeatureFetcher.OnlineView;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read API of the online feature store, with the information of Feast's
 * {@code get-online-features}: for each entity row, its join-key values first, then for each
 * requested feature its value, status and event time. One store round trip per view touched;
 * each view's max age is enforced on read ({@code OUTSIDE_MAX_AGE}). Models served through the
 * {@link ServingEngine} get their features from {@link OnlineStoreFeatureFetcher} instead.
 */
public final class OnlineFeatures {

    /** A named list of {@code view:feature} or {@code view} references (a feature service). */
    public record Service(String name, List<String> features) {
        public Service {
            features = List.copyOf(features);
        }
    }

    /**
     * The answer: column names (entity columns first), and per entity row one {@link FeatureValue}
     * per column. Entity columns are PRESENT with no event time.
     */
    public record Response(List<String> featureNames, int entityColumns, List<List<FeatureValue>> rows) {
        public Response {
            featureNames = List.copyOf(featureNames);
            // The read API's own rows are immutable views over the store's answers; anything else is copied.
            rows = rows instanceof Rows ? rows : rows.stream().map(List::copyOf).toList();
        }

        /** The cell of row {@code row} in the column named {@code name}. */
        public FeatureValue get(int row, String name) {
            int i = featureNames.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("column '" + name + "' is not in the answer; columns: " + featureNames);
            }
            return rows.get(row).get(i);
        }
    }

    private final OnlineStore store;
    private final Map<String, OnlineView> views;
    private final Map<String, Service> services;
    private final ViewPointers pointers;

    /** Reads {@code store} for the given views and services; a later duplicate name replaces an earlier one. */
    public OnlineFeatures(OnlineStore store, List<OnlineView> views, List<Service> services) {
        this(store, views, services, null);
    }

    /**
     * As {@link #OnlineFeatures(OnlineStore, List, List)}, and also serves the views batch jobs
     * publish through {@code pointers}: each read uses the version a view's pointer names at that
     * moment (the pointers are read in the same store call as the data, and a view whose pointer
     * moved is read again), so a reader never mixes two versions; a
     * pointed view published after this instance was built is found by name. Views given here
     * without a pointer are read under their own versioned name.
     */
    public OnlineFeatures(OnlineStore store, List<OnlineView> views, List<Service> services, ViewPointers pointers) {
        this.store = store;
        this.pointers = pointers;
        Map<String, OnlineView> v = new LinkedHashMap<>();
        views.forEach(x -> v.put(x.name(), x));
        Map<String, Service> s = new LinkedHashMap<>();
        services.forEach(x -> s.put(x.name(), x));
        this.views = Map.copyOf(v);
        this.services = Map.copyOf(s);
    }

    /** The views this instance serves, by name. */
    public Map<String, OnlineView> views() {
        return views;
    }

    /** Reads the features of a feature service; throws InvalidInputException for an unknown service. */
    public Response getService(String service, Map<String, ? extends List<?>> entities, boolean fullFeatureNames) {
        Service s = services.get(service);
        if (s == null) {
            throw new InvalidInputException("feature_service was '" + service + "' but it is not one of "
                    + services.keySet().stream().sorted().toList());
        }
        return get(s.features(), entities, fullFeatureNames);
    }

    /**
     * Reads {@code featureRefs} ({@code view:feature}, {@code view} for all its features, or
     * {@code view@N:feature} pinned to the version served) for the entity rows given as columns
     * (join key name to its values, every column of the same length). With
     * {@code fullFeatureNames} features are named {@code view__feature}.
     */
    public Response get(List<String> featureRefs, Map<String, ? extends List<?>> entities, boolean fullFeatureNames) {
        List<Ref> refs = resolve(featureRefs, fullFeatureNames);
        int n = rowCount(entities);
        Map<String, List<Object>> typedColumns = new LinkedHashMap<>();
        Map<String, Field> keyTypes = new LinkedHashMap<>();
        for (Ref r : refs) {
            for (Field k : r.view.joinKeys()) {
                if (!entities.containsKey(k.name())) {
                    throw new InvalidInputException("entities." + k.name() + " is missing but view " + r.view.name()
                            + " is keyed by " + r.view.joinKeys().stream().map(Field::name).toList()
                            + "; entities given: " + entities.keySet());
                }
                keyTypes.putIfAbsent(k.name(), k);
            }
        }
        for (Map.Entry<String, ? extends List<?>> e : entities.entrySet()) {
            Field type = keyTypes.get(e.getKey());
            List<Object> typed = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Object raw = e.getValue().get(i);
                if (raw == null) {
                    throw new InvalidInputException("entities." + e.getKey() + "[" + i + "] was null but a join key value is required");
                }
                typed.add(type == null ? raw : coerceKey(type.type(), e.getKey(), i, raw));
            }
            typedColumns.put(e.getKey(), typed);
        }
        // Views are grouped by name and answers indexed by position: the hot loop below touches
        // each of rows x features cells, so it must not hash view records.
        Map<String, Integer> viewIndex = new LinkedHashMap<>();
        List<OnlineView> touched = new ArrayList<>();
        List<List<String>> wanted = new ArrayList<>();
        int[] refView = new int[refs.size()];
        // Where each ref's answer sits in its view's answers: resolve() refuses a feature twice, so
        // within a view each feature is wanted once and answered at its index in the wanted list.
        int[] refPosition = new int[refs.size()];
        for (int r = 0; r < refs.size(); r++) {
            Ref ref = refs.get(r);
            Integer idx = viewIndex.get(ref.view.name());
            if (idx == null) {
                idx = touched.size();
                viewIndex.put(ref.view.name(), idx);
                touched.add(ref.view);
                wanted.add(new ArrayList<>());
            }
            refPosition[r] = wanted.get(idx).size();
            wanted.get(idx).add(ref.feature);
            refView[r] = idx;
        }
        List<List<EntityKey>> viewKeys = new ArrayList<>(touched.size());
        List<OnlineStore.ViewRead> reads = new ArrayList<>(touched.size() + 1);
        for (int v = 0; v < touched.size(); v++) {
            OnlineView view = touched.get(v);
            List<EntityKey> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                List<Object> key = new ArrayList<>(view.joinKeys().size());
                for (Field k : view.joinKeys()) {
                    key.add(typedColumns.get(k.name()).get(i));
                }
                keys.add(EntityKey.of(key));
            }
            viewKeys.add(keys);
            reads.add(read(view, guess(view), keys, wanted.get(v)));
        }
        List<String> touchedNames = pointers == null ? List.of() : touched.stream().map(OnlineView::name).toList();
        if (pointers != null) {
            reads.add(pointers.read(touchedNames));
        }
        // Every view in one call, the pointers too: one round trip on Redis however many views the request touches.
        List<List<EntityFeatures>> read = store.readViews(reads);
        if (pointers != null) {
            read = checkGuesses(touched, touchedNames, viewKeys, wanted, reads, read);
        }
        List<String> names = new ArrayList<>(typedColumns.keySet());
        refs.forEach(r -> names.add(r.outputName));
        List<List<Object>> entityColumns = new ArrayList<>(typedColumns.values());
        return new Response(names, typedColumns.size(), new Rows(entityColumns, read, refView, refPosition, n));
    }

    /**
     * The rows of an answer as a view over the store's answers, cell (i, c) found by position:
     * copying rows x features cells into new lists cost as much as decoding them. Immutable, and
     * equal to any list of lists with the same cells.
     */
    private static final class Rows extends java.util.AbstractList<List<FeatureValue>> implements java.util.RandomAccess {
        private final List<List<Object>> entityColumns;
        private final List<List<EntityFeatures>> read;
        private final int[] refView;
        private final int[] refPosition;
        private final int size;

        Rows(List<List<Object>> entityColumns, List<List<EntityFeatures>> read, int[] refView, int[] refPosition, int size) {
            this.entityColumns = entityColumns;
            this.read = read;
            this.refView = refView;
            this.refPosition = refPosition;
            this.size = size;
        }

        @Override
        public List<FeatureValue> get(int row) {
            java.util.Objects.checkIndex(row, size);
            return new RowView(row);
        }

        @Override
        public int size() {
            return size;
        }

        private final class RowView extends java.util.AbstractList<FeatureValue> implements java.util.RandomAccess {
            private final int row;
            private final int keys = entityColumns.size();
            // this row's answer from each view, looked up once per row rather than once per cell
            private final EntityFeatures[] answers;

            RowView(int row) {
                this.row = row;
                answers = new EntityFeatures[read.size()];
                for (int v = 0; v < answers.length; v++) {
                    answers[v] = read.get(v).get(row);
                }
            }

            @Override
            public FeatureValue get(int column) {
                if (column < keys && column >= 0) {
                    return new FeatureValue(entityColumns.get(column).get(row), FeatureStatus.PRESENT, Optional.empty());
                }
                java.util.Objects.checkIndex(column, keys + refView.length);
                return cell(column - keys);
            }

            private FeatureValue cell(int r) {
                return answers[refView[r]].get(refPosition[r]);
            }

            @Override
            public int size() {
                return keys + refView.length;
            }

            /**
             * Walks the row without {@link java.util.AbstractList}'s per-element modification check
             * and index check: the row is immutable and the walk stays within it. Reading every
             * cell of an answer through the row (a caller turning it into JSON or a model's input)
             * was a fifth of the read API's time.
             */
            @Override
            public java.util.Iterator<FeatureValue> iterator() {
                return new java.util.Iterator<>() {
                    private int column;

                    @Override
                    public boolean hasNext() {
                        return column < keys + refView.length;
                    }

                    @Override
                    public FeatureValue next() {
                        int c = column;
                        if (c >= keys + refView.length) {
                            throw new java.util.NoSuchElementException("row " + row + " has " + size() + " cells");
                        }
                        column = c + 1;
                        return c < keys ? get(c) : cell(c - keys);
                    }
                };
            }
        }
    }

    /** A join-key value in its column's type; the field is named only when the value is refused. */
    private static Object coerceKey(FeatureType type, String column, int i, Object raw) {
        if ((raw instanceof Long && type.equals(FeatureType.INT64)) || (raw instanceof String && type.equals(FeatureType.STRING))) {
            return raw;
        }
        return type.coerce("entities." + column + "[" + i + "]", raw);
    }

    private record Ref(OnlineView view, String feature, String outputName) {
    }

    // The versioned name each pointed view was last read under. A read sends its data reads under
    // these names together with the pointers' own read, in one round trip, and reads again only
    // the views whose pointer turned out to have moved (once per move).
    private final java.util.concurrent.ConcurrentMap<String, String> lastRead = new java.util.concurrent.ConcurrentHashMap<>();

    private String guess(OnlineView view) {
        String last = pointers == null ? null : lastRead.get(view.name());
        return last != null ? last : view.onlineName();
    }

    private static OnlineStore.ViewRead read(OnlineView view, String onlineName, List<EntityKey> keys, List<String> wanted) {
        return new OnlineStore.ViewRead(onlineName, keys, wanted, view.maxAge().orElse(OnlineStore.NO_MAX_AGE));
    }

    /**
     * The answers of the views whose data was read under the version their pointer names, which
     * is every view but one whose pointer moved since the last read: those are read again at the
     * version the pointer names now. The pointer and the data were read in one call, so the
     * answer is a whole version, as if the pointer had been resolved first.
     */
    private List<List<EntityFeatures>> checkGuesses(List<OnlineView> touched, List<String> touchedNames, List<List<EntityKey>> viewKeys,
                                                   List<List<String>> wanted, List<OnlineStore.ViewRead> reads,
                                                   List<List<EntityFeatures>> read) {
        List<Optional<ViewPointers.Pointer>> current = pointers.decode(touchedNames, read.get(touched.size()));
        List<List<EntityFeatures>> answers = new ArrayList<>(read.subList(0, touched.size()));
        List<Integer> moved = new ArrayList<>();
        List<OnlineStore.ViewRead> again = new ArrayList<>();
        for (int v = 0; v < touched.size(); v++) {
            OnlineView view = touched.get(v);
            String actual = current.get(v).map(ViewPointers.Pointer::onlineName).orElse(view.onlineName());
            if (!actual.equals(reads.get(v).view())) {
                moved.add(v);
                again.add(read(view, actual, viewKeys.get(v), wanted.get(v)));
            }
            if (current.get(v).isPresent()) {
                lastRead.put(view.name(), actual);
            } else {
                lastRead.remove(view.name());
            }
        }
        if (!again.isEmpty()) {
            List<List<EntityFeatures>> reread = store.readViews(again);
            for (int i = 0; i < moved.size(); i++) {
                answers.set(moved.get(i), reread.get(i));
            }
        }
        return answers;
    }

    private OnlineView view(String name) {
        OnlineView view = views.get(name);
        if (view != null || pointers == null) {
            return view;
        }
        return pointers.get(name).map(p -> new OnlineView(p.name(), p.onlineName(), p.joinKeys(), p.features(), Optional.empty()))
                .orElse(null);
    }

    // Resolved references of recent requests: callers repeat the same feature lists, and resolving
    // 50 references costs more than looking them up. Only lists naming views of this instance are
    // kept (a pointed view can change with its pointer); bounded, emptied when full.
    private static final int RESOLVED_CACHE = 256;
    private final java.util.concurrent.ConcurrentMap<ResolvedKey, List<Ref>> resolved = new java.util.concurrent.ConcurrentHashMap<>();

    private record ResolvedKey(List<String> refs, boolean fullFeatureNames) {
    }

    private List<Ref> resolve(List<String> featureRefs, boolean fullFeatureNames) {
        ResolvedKey key = featureRefs == null ? null : new ResolvedKey(featureRefs, fullFeatureNames);
        List<Ref> cached = key == null ? null : resolved.get(key);
        if (cached != null) {
            return cached;
        }
        List<Ref> refs = resolveNow(featureRefs, fullFeatureNames);
        boolean ownViews = true;
        for (Ref r : refs) {
            ownViews &= views.get(r.view.name()) == r.view;
        }
        if (ownViews) {
            if (resolved.size() >= RESOLVED_CACHE) {
                resolved.clear();
            }
            resolved.put(new ResolvedKey(List.copyOf(featureRefs), fullFeatureNames), List.copyOf(refs));
        }
        return refs;
    }

    private List<Ref> resolveNow(List<String> featureRefs, boolean fullFeatureNames) {
        if (featureRefs == null || featureRefs.isEmpty()) {
            throw new InvalidInputException("features were empty but at least one view:feature reference is required");
        }
        List<Ref> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String text : featureRefs) {
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("feature reference was '" + text + "' but it must look like view:feature");
            }
            int colon = text.indexOf(':');
            String viewPart = colon < 0 ? text : text.substring(0, colon);
            String viewName = viewPart.contains("@") ? viewPart.substring(0, viewPart.indexOf('@')) : viewPart;
            OnlineView view = view(viewName);
            if (view == null) {
                throw new InvalidInputException("feature reference '" + text + "' names view '" + viewName
                        + "' but the online views are " + views.keySet().stream().sorted().toList());
            }
            if (viewPart.contains("@") && !viewPart.equals(view.onlineName())) {
                throw new InvalidInputException("feature reference '" + text + "' pins version " + viewPart
                        + " but the online store serves " + view.onlineName());
            }
            List<String> features = colon < 0 ? view.features() : List.of(text.substring(colon + 1));
            for (String f : features) {
                if (!view.features().contains(f)) {
                    throw new InvalidInputException("feature reference '" + text + "' names feature '" + f
                            + "' but view " + view.name() + " has " + view.features());
                }
                String name = fullFeatureNames ? view.name() + "__" + f : f;
                if (!seen.add(name)) {
                    throw new InvalidInputException("feature '" + name + "' was requested twice"
                            + (fullFeatureNames ? "" : "; ask with full_feature_names to tell views apart"));
                }
                out.add(new Ref(view, f, name));
            }
        }
        return out;
    }

    private static int rowCount(Map<String, ? extends List<?>> entities) {
        if (entities == null || entities.isEmpty()) {
            throw new InvalidInputException("entities were empty but at least one join key column is required");
        }
        int n = -1;
        String first = null;
        for (Map.Entry<String, ? extends List<?>> e : entities.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new InvalidInputException("entities." + e.getKey() + " was empty but it must list at least one value");
            }
            if (n < 0) {
                n = e.getValue().size();
                first = e.getKey();
            } else if (e.getValue().size() != n) {
                throw new InvalidInputException("entities." + e.getKey() + " has " + e.getValue().size()
                        + " values but entities." + first + " has " + n + "; every entity column must have the same length");
            }
        }
        return n;
    }
}
