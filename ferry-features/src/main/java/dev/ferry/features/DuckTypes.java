package dev.ferry.features;

import dev.ferry.types.FeatureType;

/**
 * The DuckDB column type of each Ferry type: the one mapping used by the offline store's casts
 * and by every module that writes Parquet the offline store reads back (the stream log).
 */
public final class DuckTypes {

    private DuckTypes() {
    }

    /** {@code BIGINT} for int64, {@code FLOAT[8]} for float32[8], ... */
    public static String of(FeatureType t) {
        String s = switch (t.scalar()) {
            case BOOL -> "BOOLEAN";
            case INT32 -> "INTEGER";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "FLOAT";
            case FLOAT64 -> "DOUBLE";
            case STRING -> "VARCHAR";
        };
        return t.isVector() ? s + "[" + t.length() + "]" : s;
    }
}
