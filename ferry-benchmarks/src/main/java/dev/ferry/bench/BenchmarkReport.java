package dev.ferry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the runtime benchmarks' JMH results ({@code -rf json}) as the Markdown table of
 * BENCHMARKS.md: per runtime and batch size, the direct runtime call, Ferry's
 * {@code Model.predict}, their difference and ratio, {@code predictRows}, and whether Ferry meets
 * its overhead goal (under 5 µs more per call at one row, under 10% at larger batches).
 * Usage: {@code BenchmarkReport results.json}.
 */
public final class BenchmarkReport {

    static final double SINGLE_ROW_GOAL_MICROS = 5.0;
    static final double BATCH_GOAL_RATIO = 1.10;

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchmarkReport <jmh-results.json>");
            System.exit(2);
        }
        System.out.print(format(new ObjectMapper().readTree(Path.of(args[0]).toFile())));
    }

    /** One measured figure: mean and JMH's 99.9% confidence half-width, in the result's unit. */
    record Score(double mean, double error) {
        String text() {
            return Double.isNaN(error) ? number(mean) : number(mean) + " ± " + number(error);
        }
    }

    /** The Markdown table for a JMH JSON result array. */
    static String format(JsonNode results) {
        // runtime -> rows -> benchmark method -> score
        Map<String, Map<Integer, Map<String, Score>>> table = new TreeMap<>();
        String unit = "us/op";
        JsonNode first = null;
        for (JsonNode r : results) {
            String benchmark = r.path("benchmark").asText();
            int dot = benchmark.lastIndexOf('.');
            String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
            if (!className.endsWith("PredictBenchmark")) {
                continue;
            }
            first = first == null ? r : first;
            String runtime = className.substring(0, className.length() - "PredictBenchmark".length());
            int rows = r.path("params").path("rows").asInt();
            JsonNode metric = r.path("primaryMetric");
            unit = metric.path("scoreUnit").asText(unit);
            table.computeIfAbsent(runtime, k -> new TreeMap<>()).computeIfAbsent(rows, k -> new TreeMap<>())
                    .put(benchmark.substring(dot + 1), new Score(metric.path("score").asDouble(),
                            metric.path("scoreError").asDouble(Double.NaN)));
        }
        String u = unit.replace("us/op", "µs").replace("/op", "");
        StringBuilder out = new StringBuilder();
        out.append("| runtime | rows | direct (").append(u).append(") | Ferry predict (").append(u)
                .append(") | Ferry − direct (").append(u).append(") | Ferry / direct | Ferry predictRows (").append(u)
                .append(") | goal |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (var runtime : table.entrySet()) {
            for (var byRows : runtime.getValue().entrySet()) {
                Map<String, Score> s = byRows.getValue();
                Score direct = s.get("direct");
                Score ferry = s.get("ferryPredict");
                Score rows = s.get("ferryPredictRows");
                List<String> cells = new ArrayList<>();
                cells.add(runtime.getKey());
                cells.add(Integer.toString(byRows.getKey()));
                cells.add(direct == null ? "" : direct.text());
                cells.add(ferry == null ? "" : ferry.text());
                if (direct != null && ferry != null) {
                    double diff = ferry.mean() - direct.mean();
                    double ratio = ferry.mean() / direct.mean();
                    cells.add(number(diff));
                    cells.add(String.format(Locale.ROOT, "%.3f", ratio));
                    cells.add(rows == null ? "" : rows.text());
                    cells.add(goal(byRows.getKey(), diff, ratio, u));
                } else {
                    cells.add("");
                    cells.add("");
                    cells.add(rows == null ? "" : rows.text());
                    cells.add("");
                }
                out.append("| ").append(String.join(" | ", cells)).append(" |\n");
            }
        }
        if (first != null) {
            out.append("\nJMH ").append(first.path("jmhVersion").asText()).append(", ")
                    .append(first.path("vmName").asText()).append(' ').append(first.path("vmVersion").asText())
                    .append(", ").append(first.path("forks").asInt()).append(" fork, ")
                    .append(first.path("warmupIterations").asInt()).append(" × ").append(first.path("warmupTime").asText())
                    .append(" warm-up, ").append(first.path("measurementIterations").asInt()).append(" × ")
                    .append(first.path("measurementTime").asText()).append(" measured, ")
                    .append(first.path("threads").asInt()).append(" benchmark thread; ± is JMH's 99.9% confidence interval.\n");
        }
        return out.toString();
    }

    private static String goal(int rows, double diff, double ratio, String unit) {
        if (rows == 1) {
            if (!unit.equals("µs")) {
                return "";
            }
            return diff < SINGLE_ROW_GOAL_MICROS ? "met (< 5 µs)" : "missed (< 5 µs)";
        }
        return ratio < BATCH_GOAL_RATIO ? "met (< 10%)" : "missed (< 10%)";
    }

    private static String number(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }
}
