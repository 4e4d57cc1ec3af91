package dev.ferry.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Turns one scan and the target's earlier runs into a result per declared check. */
final class Evaluator {

    private final TargetChecks checks;
    private final TableScan.Result scan;
    private final List<QualityRun> history;
    private final Instant now;
    private final List<CheckResult> out = new ArrayList<>();

    Evaluator(TargetChecks checks, TableScan.Result scan, List<QualityRun> history, Instant now) {
        this.checks = checks;
        this.scan = scan;
        this.history = history;
        this.now = now;
    }

    List<CheckResult> evaluate() {
        Metrics m = scan.metrics();
        checks.rowCount().ifPresent(this::rowCount);
        checks.schema().ifPresent(this::schema);
        checks.freshness().ifPresent(this::freshness);
        for (TargetChecks.Unique u : checks.unique()) {
            if (missing(u.id(), u.columns(), u.severity())) {
                continue;
            }
            long dup = scan.duplicates().get(u.id());
            add(u.id(), u.severity(), dup == 0, dup == 0 ? "no duplicates" : dup + " duplicate rows, e.g. " + scan.duplicateExample().get(u.id()),
                    "each (" + String.join(", ", u.columns()) + ") at most once");
        }
        checks.columns().forEach((col, rule) -> {
            rule.maxNullRate().ifPresent(max -> {
                if (!missing("null_rate:" + col, List.of(col), rule.severity())) {
                    long nulls = m.columns().get(column(col)).nulls();
                    double rate = m.rows() == 0 ? 0 : (double) nulls / m.rows();
                    add("null_rate:" + col, rule.severity(), rate <= max, fmt(rate) + " (" + nulls + " of " + m.rows() + " rows)", "at most " + fmt(max));
                }
            });
            if (rule.range() && !missing("range:" + col, List.of(col), rule.severity()) && !notNumeric(col, rule.severity())) {
                long outside = scan.outside().get(col);
                Metrics.ColumnStats s = m.columns().get(column(col));
                add("range:" + col, rule.severity(), outside == 0,
                        "min " + num(s.min()) + ", max " + num(s.max()) + (outside == 0 ? "" : "; " + outside + " rows outside"),
                        bounds(rule));
            }
            if (!rule.allowed().isEmpty() && !missing("allowed:" + col, List.of(col), rule.severity())) {
                long bad = scan.disallowed().get(col);
                add("allowed:" + col, rule.severity(), bad == 0,
                        bad == 0 ? "all values allowed" : bad + " rows with other values, e.g. '" + scan.disallowedExample().get(col) + "'",
                        "one of " + rule.allowed());
            }
        });
        return out;
    }

    private void rowCount(TargetChecks.RowCount rule) {
        long rows = scan.metrics().rows();
        List<QualityRun> past = history.subList(Math.max(0, history.size() - rule.runs()), history.size());
        if (rows < rule.min()) {
            add("row_count", rule.severity(), false, rows + " rows", "at least " + rule.min() + " rows");
            return;
        }
        if (past.isEmpty()) {
            add("row_count", rule.severity(), true, rows + " rows", "no earlier run; this run is the baseline");
            return;
        }
        double median = median(past.stream().mapToLong(r -> r.metrics().rows()).sorted().toArray());
        double least = rule.minRatio() * median;
        add("row_count", rule.severity(), rows >= least, rows + " rows (" + fmt(median == 0 ? 1 : rows / median) + " of the median)",
                "at least " + fmt(rule.minRatio()) + " x median " + fmt(median) + " of the last " + past.size() + " run" + (past.size() == 1 ? "" : "s")
                        + " = " + fmt(least));
    }

    private void schema(Severity severity) {
        List<String> problems = new ArrayList<>();
        TableScan.Shape shape = scan.shape();
        if (!shape.missingDeclared().isEmpty()) {
            problems.add("declared columns missing from the source: " + shape.missingDeclared());
        }
        scan.metrics().columns().forEach((col, s) -> {
            if (s.invalid() > 0) {
                TableScan.Column c = shape.column(col).orElseThrow();
                problems.add(s.invalid() + " values of " + col + " do not cast to " + c.declared().orElse("its type"));
            }
        });
        String expected;
        if (history.isEmpty()) {
            expected = "no earlier run; this run is the baseline";
        } else {
            QualityRun last = history.get(history.size() - 1);
            Map<String, Metrics.ColumnStats> before = last.metrics().columns();
            Map<String, Metrics.ColumnStats> now = scan.metrics().columns();
            List<String> added = now.keySet().stream().filter(c -> !before.containsKey(c)).toList();
            List<String> removed = before.keySet().stream().filter(c -> !now.containsKey(c)).toList();
            if (!added.isEmpty()) {
                problems.add("new columns " + added);
            }
            if (!removed.isEmpty()) {
                problems.add("missing columns " + removed);
            }
            now.forEach((c, s) -> {
                Metrics.ColumnStats b = before.get(c);
                if (b != null && !b.type().equalsIgnoreCase(s.type())) {
                    problems.add(c + " changed type from " + b.type() + " to " + s.type());
                }
                if (s.nulls() > 0 && neverNull(c)) {
                    problems.add(c + " has " + s.nulls() + " nulls where no earlier run had any");
                }
            });
            expected = "the " + before.size() + " columns and types of run " + last.at() + "; no nulls where there never were";
        }
        add("schema", severity, problems.isEmpty(), problems.isEmpty() ? scan.metrics().columns().size() + " columns as expected"
                : String.join("; ", problems), expected);
    }

    private boolean neverNull(String column) {
        boolean seen = false;
        for (QualityRun r : history) {
            Metrics.ColumnStats s = r.metrics().columns().get(column);
            if (s != null) {
                seen = true;
                if (s.nulls() > 0) {
                    return false;
                }
            }
        }
        return seen;
    }

    private void freshness(TargetChecks.Freshness rule) {
        String expected = "newest at most " + format(rule.maxAge()) + " old (not before "
                + now.minus(rule.maxAge()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")";
        String col = rule.column().or(() -> scan.shape().eventTime()).orElse("?");
        if (missing("freshness", List.of(col), rule.severity())) {
            return;
        }
        TableScan.Column c = scan.shape().column(col).orElseThrow();
        if (!c.timeLike()) {
            add("freshness", rule.severity(), false, col + " is " + c.rawType() + " now", "a timestamp, a date or text holding a timestamp");
            return;
        }
        Optional<Instant> newest = scan.metrics().newest();
        if (newest.isEmpty()) {
            add("freshness", rule.severity(), false, "no value in " + col, expected);
            return;
        }
        Duration age = Duration.between(newest.get(), now);
        add("freshness", rule.severity(), age.compareTo(rule.maxAge()) <= 0, "newest " + newest.get() + " (" + format(age) + " old)", expected);
    }

    /** A rule on a column that has gone from the source fails (the schema check says more) rather than stopping the run. */
    private boolean missing(String check, List<String> columns, Severity severity) {
        List<String> gone = columns.stream().filter(c -> scan.shape().column(c).isEmpty()).toList();
        if (gone.isEmpty()) {
            return false;
        }
        add(check, severity, false, "column" + (gone.size() == 1 ? " " : "s ") + String.join(", ", gone) + " not in " + scan.shape().source(), "the column present");
        return true;
    }

    /** A range on a column that is no longer numeric fails (the schema check names the change) rather than stopping the run. */
    private boolean notNumeric(String col, Severity severity) {
        TableScan.Column c = scan.shape().column(col).orElseThrow();
        if (c.numeric()) {
            return false;
        }
        add("range:" + col, severity, false, col + " is " + c.rawType() + " now", "a numeric column");
        return true;
    }

    private String column(String name) {
        return scan.shape().column(name).orElseThrow().name();
    }

    private void add(String check, Severity severity, boolean holds, String observed, String expected) {
        Status status = holds ? Status.PASS : severity == Severity.WARN ? Status.WARN : Status.FAIL;
        out.add(new CheckResult(checks.name(), check, status, observed, expected, Optional.empty()));
    }

    static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String bounds(TargetChecks.ColumnRule rule) {
        if (rule.min().isPresent() && rule.max().isPresent()) {
            return "within [" + num(rule.min()) + ", " + num(rule.max()) + "]";
        }
        return rule.min().isPresent() ? "at least " + num(rule.min()) : "at most " + num(rule.max());
    }

    private static String num(OptionalDouble v) {
        return v.isPresent() ? fmt(v.getAsDouble()) : "-";
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s >= 86400) {
            return String.format(Locale.ROOT, "%.1fd", s / 86400.0);
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s >= 3600 ? String.format(Locale.ROOT, "%.1fh", s / 3600.0) : s + "s";
    }
}
