package dev.ferry.quality;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one scan measured of a target, kept in every run's history so later runs compare with it:
 * the row count, every column's type, null count and (numeric columns) range, and the newest
 * event time. {@code invalid} counts values that do not cast to a view's declared type.
 */
public record Metrics(long rows, Map<String, ColumnStats> columns, Optional<Instant> newest) {

    public Metrics {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** One column's measures; {@code type} is the source's type as DuckDB reads it. */
    public record ColumnStats(String type, long nulls, long invalid, OptionalDouble min, OptionalDouble max) {
    }

    /**
     * A metric by name, for trends: {@code row_count}, {@code newest} (epoch seconds),
     * {@code nulls:COL}, {@code null_rate:COL}, {@code min:COL}, {@code max:COL}; empty when this
     * run has no such value.
     */
    public OptionalDouble value(String metric) {
        if (metric.equals("row_count")) {
            return OptionalDouble.of(rows);
        }
        if (metric.equals("newest")) {
            return newest.map(t -> OptionalDouble.of(t.getEpochSecond())).orElse(OptionalDouble.empty());
        }
        int colon = metric.indexOf(':');
        ColumnStats c = colon < 0 ? null : columns.get(metric.substring(colon + 1));
        if (c == null) {
            return OptionalDouble.empty();
        }
        return switch (metric.substring(0, colon)) {
            case "nulls" -> OptionalDouble.of(c.nulls());
            case "null_rate" -> OptionalDouble.of(rows == 0 ? 0 : (double) c.nulls() / rows);
            case "min" -> c.min();
            case "max" -> c.max();
            default -> OptionalDouble.empty();
        };
    }
}
