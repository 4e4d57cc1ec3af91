package dev.ferry.features;

import dev.ferry.types.FeatureType;

/** Quoting and type names for the DuckDB SQL the offline store writes. */
final class Sql {

    private Sql() {
    }

    static String id(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String str(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String duckType(FeatureType t) {
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

    /** Timestamps are compared as naive UTC; going through TIMESTAMPTZ honours offsets written in text or Parquet. */
    static String timestamp(String expr) {
        return "CAST(CAST(" + expr + " AS TIMESTAMPTZ) AS TIMESTAMP)";
    }
}
