package dev.ferry.monitoring.drift;

import dev.ferry.types.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw values of a dataset, column by column, for the exact tests; profiles are the small,
 * mergeable alternative. Numbers become numeric columns, everything else (strings, booleans)
 * categorical ones.
 */
public final class Samples {

    private final Map<String, Distribution> columns;

    private Samples(Map<String, Distribution> columns) {
        this.columns = columns;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Columns from rows; a column's kind is that of its first non-missing value. */
    public static Samples of(List<Row> rows) {
        Map<String, List<Object>> cols = new LinkedHashMap<>();
        for (Row r : rows) {
            r.values().forEach((k, v) -> cols.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Builder b = builder();
        cols.forEach((name, values) -> {
            boolean numeric = values.stream().filter(v -> v != null).findFirst().map(v -> v instanceof Number).orElse(false);
            if (numeric) {
                b.numeric(name, values.stream().mapToDouble(v -> v instanceof Number n ? n.doubleValue() : Double.NaN).toArray());
            } else {
                b.categorical(name, values.stream().map(v -> v == null ? null : v.toString()).toList());
            }
        });
        return b.build();
    }

    Map<String, Distribution> columns() {
        return columns;
    }

    /** Collects columns; a name given twice is refused. */
    public static final class Builder {
        private final Map<String, Distribution> columns = new LinkedHashMap<>();

        /** A numeric column; NaN is a missing value. */
        public Builder numeric(String name, double[] values) {
            return put(name, SampleDistribution.numeric(values));
        }

        /** A categorical column; null is a missing value. */
        public Builder categorical(String name, List<String> values) {
            return put(name, SampleDistribution.categorical(values));
        }

        private Builder put(String name, Distribution d) {
            if (columns.put(name, d) != null) {
                throw new IllegalArgumentException("column '" + name + "' was already set");
            }
            return this;
        }

        public Samples build() {
            return new Samples(new LinkedHashMap<>(columns));
        }
    }
}
