package dev.ferry.online;

import java.util.Map;

/**
 * The read answer for one requested entity: its key and, in the requested feature order, one
 * {@link FeatureValue} per requested feature (never missing: unknown features are NOT_FOUND).
 */
public record EntityFeatures(EntityKey key, Map<String, FeatureValue> features) {

    public EntityFeatures {
        features = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(features));
    }

    /** The answer for one requested feature. */
    public FeatureValue get(String feature) {
        FeatureValue v = features.get(feature);
        if (v == null) {
            throw new IllegalArgumentException("feature '" + feature + "' was not requested; requested: " + features.keySet());
        }
        return v;
    }
}
