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
        return DuckTypes.of(t);
    }

    /**
     * Timestamps are compared as naive UTC. The conversion depends on the source type because
     * the obvious TIMESTAMPTZ-to-TIMESTAMP cast goes through ICU calendars and costs microseconds
     * a row: zoned values use their epoch instead, naive ones a plain cast, and text goes through
     * TIMESTAMPTZ so that an offset written in it ({@code +02:00}) is honoured, not dropped.
     */
    static String timestamp(String expr, String sourceType) {
        String t = sourceType == null ? "VARCHAR" : sourceType.toUpperCase(java.util.Locale.ROOT);
        if (t.startsWith("TIMESTAMP WITH TIME ZONE") || t.equals("TIMESTAMPTZ")) {
            return "make_timestamp(epoch_us(" + expr + "))";
        }
        if (t.startsWith("TIMESTAMP") || t.equals("DATE")) {
            return "CAST(" + expr + " AS TIMESTAMP)";
        }
        return "make_timestamp(epoch_us(CAST(" + expr + " AS TIMESTAMPTZ)))";
    }
}
