package dev.ferry.online;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upsert rule of the online store applied to one entity's encoded features, for stores that
 * do read-modify-write in the JVM (in-memory, RocksDB). Per feature, the record's value replaces
 * the stored one unless the stored event time is strictly newer. The Redis store applies the same
 * rule in a server-side script.
 */
public final class EntityMerge {

    private EntityMerge() {
    }

    /** The merged features; {@code stored} may be null (new entity) and is not modified. */
    public static Map<String, byte[]> apply(Map<String, byte[]> stored, OnlineRecord record) {
        Map<String, byte[]> merged = stored == null ? new LinkedHashMap<>() : new LinkedHashMap<>(stored);
        applyInPlace(merged, record);
        return merged;
    }

    /** Applies the record to a mutable map; returns whether anything was replaced or added. */
    public static boolean applyInPlace(Map<String, byte[]> features, OnlineRecord record) {
        boolean changed = false;
        Instant t = record.eventTime();
        for (Map.Entry<String, Object> e : record.values().entrySet()) {
            byte[] old = features.get(e.getKey());
            if (old == null || !ValueCodec.eventTime(old).isAfter(t)) {
                features.put(e.getKey(), ValueCodec.encode(e.getValue(), t));
                changed = true;
            }
        }
        return changed;
    }

    /**
     * Answers a read of the wanted features from one entity's encoding (null: entity unknown),
     * decoding only those features, straight into the answer. {@code wanted} is built once per
     * read; the answers of one read share its feature names.
     */
    public static EntityFeatures answer(EntityKey key, byte[] entity, ValueCodec.Wanted wanted, Instant now,
                                        java.time.Duration maxAge) {
        return answer(key, entity, entity == null ? 0 : entity.length, wanted, now, maxAge);
    }

    /**
     * As {@link #answer(EntityKey, byte[], ValueCodec.Wanted, Instant, java.time.Duration)} for an
     * entity in {@code entity[0, length)}, so a reader can decode from a buffer it reuses: the
     * answer keeps no reference to {@code entity}.
     */
    public static EntityFeatures answer(EntityKey key, byte[] entity, int length, ValueCodec.Wanted wanted, Instant now,
                                        java.time.Duration maxAge) {
        FeatureValue[] values;
        if (entity == null) {
            values = new FeatureValue[wanted.names().size()];
            java.util.Arrays.fill(values, FeatureValue.notFound());
        } else {
            values = ValueCodec.decodeAnswer(entity, length, wanted, now, maxAge);
        }
        return new EntityFeatures(key, wanted.names(), values);
    }

    /**
     * Answers a read of {@code features} from one entity's encoded features (null: entity
     * unknown), decoding each wanted value on its own: the plain rule that
     * {@link #answer(EntityKey, byte[], ValueCodec.Wanted, Instant, java.time.Duration)} must agree with.
     */
    public static EntityFeatures answer(EntityKey key, Map<String, byte[]> stored, List<String> features,
                                        Instant now, java.time.Duration maxAge) {
        Map<String, FeatureValue> out = new LinkedHashMap<>(features.size() * 2);
        for (String f : features) {
            byte[] bytes = stored == null ? null : stored.get(f);
            out.put(f, bytes == null ? FeatureValue.notFound() : FeatureValue.of(ValueCodec.decode(bytes), now, maxAge));
        }
        return new EntityFeatures(key, out);
    }
}
