package dev.ferry.monitoring.profile;

import dev.ferry.types.FeatureType;

/**
 * How a feature's values are summarized and compared: numbers get quantiles and moments,
 * strings and booleans get value counts, vectors only counts and nulls.
 */
public enum FeatureKind {
    NUMERIC,
    CATEGORICAL,
    VECTOR;

    /** The kind Ferry uses for a feature of type {@code type}. */
    public static FeatureKind of(FeatureType type) {
        if (type.isVector()) {
            return VECTOR;
        }
        return type.scalar().isNumeric() ? NUMERIC : CATEGORICAL;
    }
}
