package dev.ferry.quality;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The checks declared for one target, under a name that keys its run history
 * ({@code <data-dir>/quality/history/<name>/}). Row count and schema are on unless switched off:
 * they need nothing but history. Build one with {@link #builder} or load a YAML file through
 * {@link QualityChecks#load}.
 */
public record TargetChecks(String name, Target target, Optional<RowCount> rowCount, Optional<Severity> schema,
                           Optional<Freshness> freshness, List<Unique> unique, Map<String, ColumnRule> columns) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public TargetChecks {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("check target name was '" + name
                    + "' but it must start with a letter or '_' and contain only letters, digits and '_'");
        }
        if (target == null) {
            throw new InvalidInputException("checks '" + name + "' have no target; expected a view or a file");
        }
        unique = List.copyOf(unique);
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    public static Builder builder(String name, Target target) {
        return new Builder(name, target);
    }

    /** The ids of the checks this declares, as they appear in results and {@code --allow-failure}. */
    public List<String> checkIds() {
        List<String> ids = new ArrayList<>();
        rowCount.ifPresent(r -> ids.add("row_count"));
        schema.ifPresent(s -> ids.add("schema"));
        freshness.ifPresent(f -> ids.add("freshness"));
        unique.forEach(u -> ids.add(u.id()));
        columns.forEach((c, r) -> ids.addAll(r.ids(c)));
        return ids;
    }

    /**
     * The row count must be at least {@code minRatio} of the median row count of the last
     * {@code runs} recorded runs, and at least {@code min}. With no history yet it passes and
     * becomes the baseline.
     */
    public record RowCount(double minRatio, int runs, long min, Severity severity) {
        public RowCount {
            if (!(minRatio >= 0 && minRatio <= 1)) {
                throw new InvalidInputException("row_count min_ratio was " + minRatio + " but it must be between 0 and 1");
            }
            if (runs < 1) {
                throw new InvalidInputException("row_count runs was " + runs + " but it must be at least 1");
            }
            if (min < 0) {
                throw new InvalidInputException("row_count min was " + min + " but it must not be negative");
            }
        }

        public static RowCount defaults() {
            return new RowCount(0.5, 5, 0, Severity.FAIL);
        }
    }

    /** The newest value of {@code column} (the view's event time when empty) must be at most {@code maxAge} old. */
    public record Freshness(Optional<String> column, Duration maxAge, Severity severity) {
        public Freshness {
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new InvalidInputException("freshness max_age was " + maxAge + " but it must be positive");
            }
        }
    }

    /** No two rows may share the values of {@code columns} (one column, or a composite key). */
    public record Unique(List<String> columns, Severity severity) {
        public Unique {
            columns = List.copyOf(columns);
            if (columns.isEmpty()) {
                throw new InvalidInputException("unique key has no columns; expected one or more column names");
            }
        }

        public String id() {
            return "unique:" + String.join(",", columns);
        }
    }

    /**
     * Rules on one column: the largest share of nulls, an inclusive numeric range, a set of
     * allowed values (compared as text, so {@code 1} allows the integer 1).
     */
    public record ColumnRule(OptionalDouble maxNullRate, OptionalDouble min, OptionalDouble max, List<String> allowed, Severity severity) {
        public ColumnRule {
            allowed = List.copyOf(allowed);
            if (maxNullRate.isPresent() && !(maxNullRate.getAsDouble() >= 0 && maxNullRate.getAsDouble() <= 1)) {
                throw new InvalidInputException("max_null_rate was " + maxNullRate.getAsDouble() + " but it must be between 0 and 1");
            }
            if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
                throw new InvalidInputException("min was " + min.getAsDouble() + " and max " + max.getAsDouble() + " but min must not exceed max");
            }
            if (maxNullRate.isEmpty() && min.isEmpty() && max.isEmpty() && allowed.isEmpty()) {
                throw new InvalidInputException("column rule has no check; expected max_null_rate, min, max or allowed");
            }
        }

        public static ColumnRule maxNullRate(double share) {
            return new ColumnRule(OptionalDouble.of(share), OptionalDouble.empty(), OptionalDouble.empty(), List.of(), Severity.FAIL);
        }

        public static ColumnRule range(double min, double max) {
            return new ColumnRule(OptionalDouble.empty(), OptionalDouble.of(min), OptionalDouble.of(max), List.of(), Severity.FAIL);
        }

        public static ColumnRule allowed(String... values) {
            return new ColumnRule(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), List.of(values), Severity.FAIL);
        }

        /** The same rule reported as a warning only. */
        public ColumnRule warnOnly() {
            return new ColumnRule(maxNullRate, min, max, allowed, Severity.WARN);
        }

        boolean range() {
            return min.isPresent() || max.isPresent();
        }

        List<String> ids(String column) {
            List<String> ids = new ArrayList<>();
            maxNullRate.ifPresent(x -> ids.add("null_rate:" + column));
            if (range()) {
                ids.add("range:" + column);
            }
            if (!allowed.isEmpty()) {
                ids.add("allowed:" + column);
            }
            return ids;
        }
    }

    /** Builds {@link TargetChecks}; every option can also be written in YAML. Row count and schema start on. */
    public static final class Builder {
        private final String name;
        private final Target target;
        private RowCount rowCount = RowCount.defaults();
        private Severity schema = Severity.FAIL;
        private Freshness freshness;
        private final List<Unique> unique = new ArrayList<>();
        private final Map<String, ColumnRule> columns = new LinkedHashMap<>();

        private Builder(String name, Target target) {
            this.name = name;
            this.target = target;
        }

        /** The row count rule, or null to switch the check off. */
        public Builder rowCount(RowCount rule) {
            this.rowCount = rule;
            return this;
        }

        /** The schema check's severity, or null to switch it off. */
        public Builder schema(Severity severity) {
            this.schema = severity;
            return this;
        }

        public Builder freshness(Freshness rule) {
            this.freshness = rule;
            return this;
        }

        public Builder unique(Unique key) {
            unique.add(key);
            return this;
        }

        public Builder unique(String... columns) {
            return unique(new Unique(List.of(columns), Severity.FAIL));
        }

        public Builder column(String column, ColumnRule rule) {
            if (columns.putIfAbsent(column, rule) != null) {
                throw new InvalidInputException("column '" + column + "' of checks '" + name + "' was given rules twice");
            }
            return this;
        }

        public TargetChecks build() {
            return new TargetChecks(name, target, Optional.ofNullable(rowCount), Optional.ofNullable(schema),
                    Optional.ofNullable(freshness), unique, columns);
        }
    }
}
