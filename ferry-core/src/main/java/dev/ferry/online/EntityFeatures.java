package dev.ferry.online;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The read answer for one requested entity: its key and, in the requested feature order, one
 * {@link FeatureValue} per requested feature (never missing: unknown features are NOT_FOUND). A
 * feature requested twice is answered once, at its first position.
 *
 * <p>The answers of one read share their feature names and hold only an array of values, so
 * reading 100 entities builds no per-entity map; {@link #get(int)} reads a value by its position
 * among the distinct requested features, which a caller that knows its request computes once.
 * Equality is by key and {@link #features()}, as {@link Map#equals} defines it.
 */
public final class EntityFeatures {

    private final EntityKey key;
    private final FeatureNames names;
    private final FeatureValue[] values;

    /** An answer from a map of feature name to value; the map's iteration order is the requested order. */
    public EntityFeatures(EntityKey key, Map<String, FeatureValue> features) {
        List<String> order = List.copyOf(features.keySet());
        FeatureValue[] copy = new FeatureValue[order.size()];
        int i = 0;
        for (FeatureValue v : features.values()) {
            copy[i++] = v;
        }
        this.key = key;
        this.names = FeatureNames.of(order);
        this.values = copy;
    }

    /** Takes {@code values} (one per name, in order) without copying: the caller hands it over. */
    EntityFeatures(EntityKey key, FeatureNames names, FeatureValue[] values) {
        this.key = key;
        this.names = names;
        this.values = values;
    }

    /** The entity. */
    public EntityKey key() {
        return key;
    }

    /** Feature name to its answer, in the requested order; unmodifiable, a view over this answer. */
    public Map<String, FeatureValue> features() {
        return new FeaturesView();
    }

    /** The number of distinct requested features. */
    public int size() {
        return values.length;
    }

    /**
     * The answer for the feature at {@code position} among the distinct requested features, in
     * request order: for a request without repeated names, its position in the request.
     */
    public FeatureValue get(int position) {
        Objects.checkIndex(position, values.length);
        return values[position];
    }

    /** The answer for one requested feature. */
    public FeatureValue get(String feature) {
        int at = names.positionOf(feature);
        FeatureValue v = at < 0 ? null : values[at];
        if (v == null) {
            throw new IllegalArgumentException("feature '" + feature + "' was not requested; requested: " + features().keySet());
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EntityFeatures other) || !Objects.equals(key, other.key)) {
            return false;
        }
        return names == other.names ? java.util.Arrays.equals(values, other.values) : features().equals(other.features());
    }

    @Override
    public int hashCode() {
        int h = 0; // as Map.hashCode: the sum of the entries' hashes
        for (int i = 0; i < values.length; i++) {
            h += names.name(i).hashCode() ^ Objects.hashCode(values[i]);
        }
        return 31 * Objects.hashCode(key) + h;
    }

    @Override
    public String toString() {
        return "EntityFeatures[key=" + key + ", features=" + features() + "]";
    }

    /** The map view of {@link #features()}: lookups by the shared name index, no copy. */
    private final class FeaturesView extends AbstractMap<String, FeatureValue> {

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public boolean containsKey(Object name) {
            return names.positionOf(name) >= 0;
        }

        @Override
        public FeatureValue get(Object name) {
            int at = names.positionOf(name);
            return at < 0 ? null : values[at];
        }

        @Override
        public Set<Entry<String, FeatureValue>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return values.length;
                }

                @Override
                public Iterator<Entry<String, FeatureValue>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < values.length;
                        }

                        @Override
                        public Entry<String, FeatureValue> next() {
                            if (next >= values.length) {
                                throw new NoSuchElementException();
                            }
                            int at = next++;
                            return new SimpleImmutableEntry<>(names.name(at), values[at]);
                        }
                    };
                }
            };
        }
    }
}
