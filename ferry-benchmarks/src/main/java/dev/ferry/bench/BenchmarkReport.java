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
import java.util.function.Function;

/**
 * Prints the runtime benchmarks' JMH results ({@code -rf json}) as the Markdown tables of
 * BENCHMARKS.md: per runtime and batch size, the direct runtime call, Ferry's
 * {@code Model.predict}, their difference and ratio, {@code predictRows}, and whether Ferry meets
 * its overhead goal (under 5 µs more per call at one row, under 10% more at larger batches). One
 * table for wall-clock time and, when the run used {@link CpuTimeProfiler}, one for CPU time.
 * Usage: {@code BenchmarkReport results.json}.
 */
public final class BenchmarkReport {

    static final double SINGLE_ROW_GOAL_MICROS = 5.0;
    static final double BATCH_GOAL_FRACTION = 0.10;
    private static final String SUFFIX = "PredictBenchmark";

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchmarkReport <jmh-results.json>");
            System.exit(2);
        }
        System.out.print(format(new ObjectMapper().readTree(Path.of(args[0]).toFile())));
    }

    /** One measured figure: mean and JMH's 99.9% confidence half-width (0 when JMH gave none). */
    record Score(double mean, double error) {
        static Score of(JsonNode metric) {
            double e = metric.path("scoreError").asDouble(Double.NaN);
            return new Score(metric.path("score").asDouble(), Double.isNaN(e) ? 0 : e);
        }

        String text() {
            return error == 0 ? number(mean) : number(mean) + " ± " + number(error);
        }
    }

    /** The Markdown tables for a JMH JSON result array. */
    static String format(JsonNode results) {
        StringBuilder out = new StringBuilder();
        out.append("Wall-clock time per call (µs):\n\n");
        out.append(table(results, r -> r.path("primaryMetric")));
        boolean cpu = false;
        for (JsonNode r : results) {
            cpu |= r.path("secondaryMetrics").has(CpuTimeProfiler.LABEL);
        }
        if (cpu) {
            out.append("\nCPU time per call (µs, all threads of the benchmark JVM):\n\n");
            out.append(table(results, r -> r.path("secondaryMetrics").path(CpuTimeProfiler.LABEL)));
        }
        for (JsonNode r : results) {
            if (r.path("benchmark").asText().contains(SUFFIX)) {
                out.append("\nJMH ").append(r.path("jmhVersion").asText()).append(", ")
                        .append(r.path("vmName").asText()).append(' ').append(r.path("vmVersion").asText())
                        .append(", ").append(r.path("forks").asInt()).append(" fork, ")
                        .append(r.path("warmupIterations").asInt()).append(" × ").append(r.path("warmupTime").asText())
                        .append(" warm-up, ").append(r.path("measurementIterations").asInt()).append(" × ")
                        .append(r.path("measurementTime").asText())
                        .append(" measured; ± is JMH's 99.9% confidence half-width, and for the difference the two"
                                + " half-widths combined. A goal is 'met' or 'missed' only when the whole interval"
                                + " is on one side of it.\n");
                break;
            }
        }
        return out.toString();
    }

    private static String table(JsonNode results, Function<JsonNode, JsonNode> metric) {
        // runtime -> rows -> benchmark method -> score
        Map<String, Map<Integer, Map<String, Score>>> scores = new TreeMap<>();
        for (JsonNode r : results) {
            String benchmark = r.path("benchmark").asText();
            int dot = benchmark.lastIndexOf('.');
            String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
            JsonNode m = metric.apply(r);
            if (!className.endsWith(SUFFIX) || m.isMissingNode()) {
                continue;
            }
            String runtime = displayName(className.substring(0, className.length() - SUFFIX.length()));
            int rows = r.path("params").path("rows").asInt();
            scores.computeIfAbsent(runtime, k -> new TreeMap<>()).computeIfAbsent(rows, k -> new TreeMap<>())
                    .put(benchmark.substring(dot + 1), Score.of(m));
        }
        StringBuilder out = new StringBuilder();
        out.append("| runtime | rows | direct | Ferry predict | Ferry − direct | Ferry / direct | Ferry predictRows | goal |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (var runtime : scores.entrySet()) {
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
                    Score diff = new Score(ferry.mean() - direct.mean(), Math.hypot(ferry.error(), direct.error()));
                    cells.add(diff.text());
                    cells.add(String.format(Locale.ROOT, "%.3f", ferry.mean() / direct.mean()));
                    cells.add(rows == null ? "" : rows.text());
                    cells.add(goal(byRows.getKey(), diff, direct));
                } else {
                    cells.add("");
                    cells.add("");
                    cells.add(rows == null ? "" : rows.text());
                    cells.add("");
                }
                out.append("| ").append(String.join(" | ", cells)).append(" |\n");
            }
        }
        return out.toString();
    }

    /** Met or missed only when the difference's whole confidence interval is on one side of the limit. */
    static String goal(int rows, Score diff, Score direct) {
        double limit = rows == 1 ? SINGLE_ROW_GOAL_MICROS : BATCH_GOAL_FRACTION * direct.mean();
        String name = rows == 1 ? "< 5 µs" : "< 10%";
        if (diff.mean() + diff.error() < limit) {
            return "met (" + name + ")";
        }
        if (diff.mean() - diff.error() >= limit) {
            return "missed (" + name + ")";
        }
        return "not resolved (" + name + ")";
    }

    private static String displayName(String prefix) {
        return switch (prefix) {
            case "Onnx" -> "ONNX";
            case "LightGbm" -> "LightGBM";
            default -> prefix;
        };
    }

    private static String number(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }
}
