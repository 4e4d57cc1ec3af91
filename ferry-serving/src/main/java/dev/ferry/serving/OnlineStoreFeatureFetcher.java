package dev.ferry.serving;

import dev.ferry.InvalidInputException;
import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureStatus;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineStore;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link FeatureFetcher} over an {@link OnlineStore}: one multi-entity read per feature view
 * a request touches, all views in one {@link OnlineStore#readViews} call (one round trip on Redis). A feature is found in the view its model recorded ({@code view:feature} in
 * the model's provenance); without a reference, in the view that has the feature and whose join
 * keys the request's entity carries (the most specific when several do). Missing values
 * ({@code NOT_FOUND}, {@code NULL_VALUE}) come back as null; values past the view's max age are
 * withheld. Any missing or stale value marks the answer degraded, with a note naming it.
 */
public final class OnlineStoreFeatureFetcher implements FeatureFetcher {

    /**
     * How one feature view is served.
     *
     * @param name       the view's name, as in {@code view:feature} references
     * @param onlineName the name its values are stored under (the versioned name, e.g. {@code credit_history@2})
     * @param joinKeys   the entity's join keys, typed; request values are coerced to these types
     * @param features   the view's feature names
     * @param maxAge     values older than this are withheld ({@code OUTSIDE_MAX_AGE}); empty for none
     */
    public record OnlineView(String name, String onlineName, List<Field> joinKeys, List<String> features,
                             Optional<Duration> maxAge) {
        public OnlineView {
            joinKeys = List.copyOf(joinKeys);
            features = List.copyOf(features);
        }
    }

    private final OnlineStore store;
    private final Map<String, OnlineView> views;
    // A model's references ("view:feature") parsed once, by the reference list (a model's provenance,
    // the same for every request it serves): feature name -> the view it names that this server has.
    private final Map<List<String>, Map<String, OnlineView>> parsedReferences = new java.util.concurrent.ConcurrentHashMap<>();

    public OnlineStoreFeatureFetcher(OnlineStore store, List<OnlineView> views) {
        this.store = store;
        Map<String, OnlineView> m = new LinkedHashMap<>();
        for (OnlineView v : views) {
            m.put(v.name(), v);
        }
        this.views = Map.copyOf(m);
    }

    @Override
    public FetchedFeatures fetch(FeatureRequest request) {
        int n = request.entities().size();
        List<LinkedHashMap<String, Object>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new LinkedHashMap<>(Math.max(16, request.features().size() * 2)));
        }
        List<String> notes = new ArrayList<>();
        boolean degraded = false;
        // by view name: hashing the OnlineView records would hash their feature lists on every request
        Map<String, ViewFeatures> byView = new LinkedHashMap<>();
        List<OnlineView> order = new ArrayList<>();
        Map<String, OnlineView> referenced = referenced(request.references());
        for (String feature : request.features()) {
            OnlineView view = referenced.get(feature);
            if (view == null) {
                view = unreferenced(feature, request);
            }
            if (view == null) {
                degraded = true;
                notes.add("feature '" + feature + "' is in no online view this server knows");
                continue;
            }
            ViewFeatures inView = byView.get(view.name());
            if (inView == null) {
                inView = new ViewFeatures();
                byView.put(view.name(), inView);
                order.add(view);
            }
            inView.add(feature);
        }
        List<List<EntityKey>> keysPerView = new ArrayList<>(order.size());
        List<OnlineStore.ViewRead> reads = new ArrayList<>(order.size());
        for (OnlineView view : order) {
            List<EntityKey> keys = new ArrayList<>(n);
            for (Map<String, Object> entity : request.entities()) {
                keys.add(key(view, entity));
            }
            keysPerView.add(keys);
            reads.add(new OnlineStore.ViewRead(view.onlineName(), keys, byView.get(view.name()).wanted,
                    view.maxAge().orElse(OnlineStore.NO_MAX_AGE)));
        }
        // All views in one call: a store that can (Redis) answers them in one round trip.
        List<List<EntityFeatures>> answers = reads.isEmpty() ? List.of() : store.readViews(reads);
        for (int v = 0; v < order.size(); v++) {
            OnlineView view = order.get(v);
            ViewFeatures features = byView.get(view.name());
            List<EntityFeatures> read = answers.get(v);
            for (int i = 0; i < n; i++) {
                EntityFeatures entity = read.get(i);
                for (int f = 0; f < features.asked.size(); f++) {
                    String feature = features.asked.get(f);
                    FeatureValue value = entity.get(features.positions[f]);
                    if (value.status() == FeatureStatus.PRESENT) {
                        rows.get(i).put(feature, value.value());
                    } else {
                        rows.get(i).put(feature, null);
                        degraded = true;
                        if (notes.size() < 20) {
                            notes.add(view.name() + ":" + feature + " " + value.status() + " for " + keysPerView.get(v).get(i));
                        }
                    }
                }
            }
        }
        List<Row> out = new ArrayList<>(n);
        for (LinkedHashMap<String, Object> r : rows) {
            out.add(Row.owning(r));
        }
        return new FetchedFeatures(out, degraded, notes);
    }

    /**
     * The features a request asks of one view: as asked (a name may repeat), and the distinct
     * names read, with each asked feature's position among them, so answers are read by
     * position rather than by a name lookup per entity and feature.
     */
    private static final class ViewFeatures {
        final List<String> asked = new ArrayList<>();
        final List<String> wanted = new ArrayList<>();
        private final Map<String, Integer> positionOf = new java.util.HashMap<>();
        int[] positions = new int[8];

        void add(String feature) {
            Integer known = positionOf.putIfAbsent(feature, wanted.size());
            int at = known == null ? wanted.size() : known;
            if (known == null) {
                wanted.add(feature);
            }
            if (asked.size() == positions.length) {
                positions = java.util.Arrays.copyOf(positions, positions.length * 2);
            }
            positions[asked.size()] = at;
            asked.add(feature);
        }
    }

    /** Feature name -> view, for the references ({@code view:feature}) naming a view this server has; the first wins. */
    private Map<String, OnlineView> referenced(List<String> references) {
        if (references.isEmpty()) {
            return Map.of();
        }
        Map<String, OnlineView> parsed = parsedReferences.get(references);
        if (parsed == null) {
            Map<String, OnlineView> m = new java.util.HashMap<>();
            for (String ref : references) {
                int colon = ref.indexOf(':');
                OnlineView v = colon > 0 ? views.get(ref.substring(0, colon)) : null;
                if (v != null) {
                    m.putIfAbsent(ref.substring(colon + 1), v);
                }
            }
            parsed = Map.copyOf(m);
            if (parsedReferences.size() < 10_000) { // one entry per model version served; a bound all the same
                parsedReferences.put(List.copyOf(references), parsed);
            }
        }
        return parsed;
    }

    /** Without a reference: the view that has the feature and whose join keys the entity carries, the most specific first. */
    private OnlineView unreferenced(String feature, FeatureRequest request) {
        Map<String, Object> entity = request.entities().isEmpty() ? Map.of() : request.entities().get(0);
        OnlineView best = null;
        for (OnlineView v : views.values()) {
            if (v.features().contains(feature) && v.joinKeys().stream().allMatch(k -> entity.containsKey(k.name()))
                    && (best == null || v.joinKeys().size() > best.joinKeys().size())) {
                best = v;
            }
        }
        return best;
    }

    private static EntityKey key(OnlineView view, Map<String, Object> entity) {
        List<Object> values = new ArrayList<>(view.joinKeys().size());
        for (Field k : view.joinKeys()) {
            Object raw = entity.get(k.name());
            if (raw == null) {
                throw new InvalidInputException("entity." + k.name() + " is missing but view " + view.name()
                        + " is keyed by " + view.joinKeys().stream().map(Field::name).toList());
            }
            Object typed = k.type().scalar().isInteger() && raw instanceof String s ? k.type().parseText("entity." + k.name(), s)
                    : k.type().coerce("entity." + k.name(), raw);
            values.add(typed);
        }
        return EntityKey.of(values);
    }
}
