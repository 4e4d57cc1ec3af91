package dev.ferry.quality;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.features.CsvSource;
import dev.ferry.features.DuckTypes;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.QueryResult;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Measures one target in a single DuckDB scan: every metric and every rule's count is one
 * aggregate of one SELECT over the source read in place. A view's declared columns are read
 * through TRY_CAST so that a value that does not cast is counted, not fatal; a second, small
 * query runs only to show an example duplicate key.
 */
final class TableScan {

    private static final Pattern NUMERIC = Pattern.compile("(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL.*|NUMERIC.*)");
    private static final Pattern TEMPORAL = Pattern.compile("(TIMESTAMP.*|DATE|TIMESTAMPTZ)");

    /** A column as the scan reads it: its raw expression and its typed one. */
    record Column(String name, String rawType, String typed, Optional<String> declared, boolean numeric, boolean temporal) {
        /** A timestamp, a date, or undeclared text that may hold one: what freshness can read. */
        boolean timeLike() {
            return temporal || declared.isEmpty() && rawType.toUpperCase(Locale.ROOT).equals("VARCHAR");
        }
    }

    /** The shape of a target before it is scanned. */
    record Shape(String source, String relation, List<Column> columns, List<String> missingDeclared, Optional<String> eventTime) {
        Optional<Column> column(String name) {
            return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
        }
    }

    /** Everything one scan found. */
    record Result(Shape shape, Metrics metrics, Map<String, Long> duplicates, Map<String, String> duplicateExample,
                  Map<String, Long> outside, Map<String, Long> disallowed, Map<String, String> disallowedExample) {
    }

    private final OfflineStore store;
    private final FeatureRegistry registry;

    TableScan(OfflineStore store, FeatureRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    Shape shape(Target target) {
        return switch (target) {
            case Target.View v -> viewShape(v.name());
            case Target.File f -> fileShape(f);
        };
    }

    private Shape viewShape(String name) {
        if (registry.versions(name).isEmpty()) {
            throw new NotFoundException("feature view '" + name + "' is not in the feature registry (views: "
                    + registry.views().stream().map(dev.ferry.features.RegisteredView::name).toList() + ")");
        }
        FeatureView v = registry.view(name).view();
        Map<String, String> declared = new LinkedHashMap<>();
        for (String e : v.entities()) {
            for (JoinKey k : registry.entity(e).orElseThrow(() -> new NotFoundException("entity '" + e + "' of view '" + name
                    + "' is not in the feature registry")).joinKeys()) {
                declared.put(k.name().toLowerCase(Locale.ROOT), FeatureType.of(k.type()).toString());
            }
        }
        declared.put(v.eventTimeColumn().toLowerCase(Locale.ROOT), "timestamp");
        v.createdTimeColumn().ifPresent(c -> declared.put(c.toLowerCase(Locale.ROOT), "timestamp"));
        for (Field f : v.schema().fields()) {
            declared.put(f.name().toLowerCase(Locale.ROOT), f.type().toString());
        }
        String relation = store.relation(v.source());
        Map<String, String> raw = store.columns(v.source());
        List<Column> cols = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        raw.forEach((col, type) -> {
            String d = declared.get(col.toLowerCase(Locale.ROOT));
            seen.add(col.toLowerCase(Locale.ROOT));
            if (d == null) {
                cols.add(rawColumn(col, type));
            } else if (d.equals("timestamp")) {
                cols.add(new Column(col, type, timestamp(id(col), type), Optional.of(d), false, true));
            } else {
                FeatureType ft = FeatureType.parse(d);
                cols.add(new Column(col, type, "TRY_CAST(" + id(col) + " AS " + DuckTypes.of(ft) + ")", Optional.of(d),
                        ft.scalar().isNumeric() && !ft.isVector(), false));
            }
        });
        List<String> missing = new ArrayList<>();
        declared.keySet().forEach(d -> {
            if (!seen.contains(d)) {
                missing.add(d);
            }
        });
        return new Shape(v.source().describe(), relation, cols, missing, Optional.of(v.eventTimeColumn()));
    }

    private Shape fileShape(Target.File f) {
        String p = f.path().toString();
        if (!p.contains("*") && !java.nio.file.Files.isRegularFile(f.path())) {
            throw new NotFoundException("file " + f.path() + " does not exist");
        }
        String relation = f.csv() ? "read_csv(" + str(p) + ", header=true)" : "read_parquet(" + str(p) + ")";
        QueryResult d = store.query("DESCRIBE SELECT * FROM " + relation, Integer.MAX_VALUE);
        List<Column> cols = new ArrayList<>();
        for (Row r : d.rows()) {
            cols.add(rawColumn(String.valueOf(r.get("column_name")), String.valueOf(r.get("column_type"))));
        }
        return new Shape((f.csv() ? CsvSource.of(f.path()) : new dev.ferry.features.ParquetSource(f.path())).describe(),
                relation, cols, List.of(), Optional.empty());
    }

    private static Column rawColumn(String col, String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return new Column(col, type, id(col), Optional.empty(), NUMERIC.matcher(t).matches(), TEMPORAL.matcher(t).matches());
    }

    /** Timestamps as naive UTC, as the offline store compares them; text goes through TIMESTAMPTZ so an offset is honoured. */
    static String timestamp(String expr, String type) {
        String t = type.toUpperCase(Locale.ROOT);
        if (t.startsWith("TIMESTAMP WITH TIME ZONE") || t.equals("TIMESTAMPTZ")) {
            return "make_timestamp(epoch_us(" + expr + "))";
        }
        if (t.startsWith("TIMESTAMP") || t.equals("DATE")) {
            return "TRY_CAST(" + expr + " AS TIMESTAMP)";
        }
        return "make_timestamp(epoch_us(TRY_CAST(" + expr + " AS TIMESTAMPTZ)))";
    }

    Result scan(TargetChecks checks, Shape shape) {
        List<Column> cols = shape.columns();
        StringBuilder inner = new StringBuilder("SELECT ");
        for (int i = 0; i < cols.size(); i++) {
            Column c = cols.get(i);
            inner.append(i == 0 ? "" : ", ").append(id(c.name())).append(" AS r").append(i).append(", ").append(c.typed()).append(" AS t").append(i);
        }
        inner.append(" FROM ").append(shape.relation());
        List<String> aggs = new ArrayList<>();
        List<Consumer<Object>> sinks = new ArrayList<>();
        long[] rows = new long[1];
        agg(aggs, sinks, "count(*)", v -> rows[0] = ((Number) v).longValue());
        Map<String, long[]> nulls = new LinkedHashMap<>();
        Map<String, long[]> invalid = new LinkedHashMap<>();
        Map<String, Double[]> ranges = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            Column c = cols.get(i);
            long[] n = new long[1];
            nulls.put(c.name(), n);
            agg(aggs, sinks, "count(*) - count(r" + i + ")", v -> n[0] = ((Number) v).longValue());
            long[] bad = new long[1];
            invalid.put(c.name(), bad);
            if (c.declared().isPresent()) {
                agg(aggs, sinks, "count(*) FILTER (WHERE r" + i + " IS NOT NULL AND t" + i + " IS NULL)", v -> bad[0] = ((Number) v).longValue());
            }
            Double[] mm = new Double[2];
            ranges.put(c.name(), mm);
            if (c.numeric()) {
                agg(aggs, sinks, "CAST(min(t" + i + ") AS DOUBLE)", v -> mm[0] = v == null ? null : ((Number) v).doubleValue());
                agg(aggs, sinks, "CAST(max(t" + i + ") AS DOUBLE)", v -> mm[1] = v == null ? null : ((Number) v).doubleValue());
            }
        }
        Instant[] newest = new Instant[1];
        Optional<String> freshCol = checks.freshness().flatMap(TargetChecks.Freshness::column).or(shape::eventTime);
        freshCol.flatMap(shape::column).filter(Column::timeLike).ifPresent(c -> {
            int i = cols.indexOf(c);
            String expr = c.temporal() && c.declared().isPresent() ? "t" + i : timestamp("t" + i, c.rawType());
            agg(aggs, sinks, "max(" + expr + ")", v -> newest[0] = (Instant) v);
        });
        Map<String, Long> duplicates = new LinkedHashMap<>();
        for (TargetChecks.Unique u : checks.unique()) {
            if (u.columns().stream().anyMatch(k -> shape.column(k).isEmpty())) {
                continue;
            }
            String key = String.join(", ", u.columns().stream().map(k -> "t" + index(shape, k)).toList());
            agg(aggs, sinks, "count(*) - count(DISTINCT row(" + key + "))", v -> duplicates.put(u.id(), ((Number) v).longValue()));
        }
        Map<String, Long> outside = new LinkedHashMap<>();
        Map<String, Long> disallowed = new LinkedHashMap<>();
        Map<String, String> disallowedExample = new LinkedHashMap<>();
        checks.columns().forEach((name, rule) -> {
            if (shape.column(name).isEmpty()) {
                return;
            }
            String t = "t" + index(shape, name);
            if (rule.range() && shape.column(name).get().numeric()) {
                List<String> conds = new ArrayList<>();
                rule.min().ifPresent(m -> conds.add(t + " < " + literal(m)));
                rule.max().ifPresent(m -> conds.add(t + " > " + literal(m)));
                agg(aggs, sinks, "count(*) FILTER (WHERE " + String.join(" OR ", conds) + ")", v -> outside.put(name, ((Number) v).longValue()));
            }
            if (!rule.allowed().isEmpty()) {
                String cond = t + " IS NOT NULL AND CAST(" + t + " AS VARCHAR) NOT IN ("
                        + String.join(", ", rule.allowed().stream().map(TableScan::str).toList()) + ")";
                agg(aggs, sinks, "count(*) FILTER (WHERE " + cond + ")", v -> disallowed.put(name, ((Number) v).longValue()));
                agg(aggs, sinks, "min(CAST(" + t + " AS VARCHAR)) FILTER (WHERE " + cond + ")", v -> {
                    if (v != null) {
                        disallowedExample.put(name, v.toString());
                    }
                });
            }
        });
        String sql = "SELECT " + String.join(", ", aggs) + " FROM (" + inner + ")";
        Row row = store.query(sql, 1).rows().get(0);
        for (int k = 0; k < sinks.size(); k++) {
            sinks.get(k).accept(row.get("a" + k));
        }
        Map<String, Metrics.ColumnStats> stats = new LinkedHashMap<>();
        for (Column c : cols) {
            Double[] mm = ranges.get(c.name());
            stats.put(c.name(), new Metrics.ColumnStats(c.rawType(), nulls.get(c.name())[0], invalid.get(c.name())[0],
                    mm[0] == null ? OptionalDouble.empty() : OptionalDouble.of(mm[0]), mm[1] == null ? OptionalDouble.empty() : OptionalDouble.of(mm[1])));
        }
        Map<String, String> duplicateExample = new LinkedHashMap<>();
        for (TargetChecks.Unique u : checks.unique()) {
            if (duplicates.getOrDefault(u.id(), 0L) > 0) {
                duplicateExample.put(u.id(), duplicateExample(shape, inner.toString(), u));
            }
        }
        return new Result(shape, new Metrics(rows[0], stats, Optional.ofNullable(newest[0])), duplicates, duplicateExample,
                outside, disallowed, disallowedExample);
    }

    private String duplicateExample(Shape shape, String inner, TargetChecks.Unique u) {
        List<String> ts = u.columns().stream().map(k -> "t" + index(shape, k)).toList();
        String sql = "SELECT " + String.join(", ", ts.stream().map(t -> "CAST(" + t + " AS VARCHAR) AS " + t).toList()) + ", count(*) AS n FROM ("
                + inner + ") GROUP BY ALL HAVING count(*) > 1 ORDER BY n DESC LIMIT 1";
        Row r = store.query(sql, 1).rows().get(0);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            parts.add(u.columns().get(i) + "=" + r.get(ts.get(i)));
        }
        return String.join(", ", parts) + " (" + r.get("n") + " rows)";
    }

    private static int index(Shape shape, String column) {
        Column c = shape.column(column).orElseThrow(() -> new InvalidInputException("column '" + column + "' is not a column of "
                + shape.source() + " (columns: " + shape.columns().stream().map(Column::name).toList() + ")"));
        return shape.columns().indexOf(c);
    }

    private static void agg(List<String> aggs, List<Consumer<Object>> sinks, String expr, Consumer<Object> sink) {
        aggs.add(expr + " AS a" + aggs.size());
        sinks.add(sink);
    }

    /** A number as SQL reads it: plain digits, never Java's 1.0E7. */
    private static String literal(double v) {
        return java.math.BigDecimal.valueOf(v).toPlainString();
    }

    static String id(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String str(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
