package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The report lines up JMH's JSON into the BENCHMARKS.md table and judges goals on the interval. */
class BenchmarkReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachRuntimeAndBatchSizeBecomesOneRowWithDifferenceRatioAndGoal() {
        ArrayNode results = JSON.createArrayNode();
        results.add(result("XGBoostPredictBenchmark.direct", 1000, 4000, 40));
        results.add(result("XGBoostPredictBenchmark.ferryPredict", 1000, 4100, 30));
        results.add(result("XGBoostPredictBenchmark.ferryPredictRows", 1000, 5000, 50));
        results.add(result("LightGbmPredictBenchmark.direct", 1, 12, 1));
        results.add(result("LightGbmPredictBenchmark.ferryPredict", 1, 30, 1));
        results.add(result("OnlineReadBenchmark.ferry", 1, 99, 1));

        String report = BenchmarkReport.format(results);

        assertThat(report).contains("| XGBoost | 1000 | 4000 ± 40.0 | 4100 ± 30.0 | 100 ± 50.0 | 1.025 | 5000 ± 50.0 | met (< 10%) |")
                .contains("| LightGBM | 1 | 12.0 ± 1.00 | 30.0 ± 1.00 | 18.0 ± 1.41 | 2.500 |  | missed (< 5 µs) |")
                .doesNotContain("Online")
                .doesNotContain("CPU time");
    }

    @Test
    void aGoalInsideTheConfidenceIntervalIsNotResolved() {
        BenchmarkReport.Score direct = new BenchmarkReport.Score(20, 10);
        assertThat(BenchmarkReport.goal(1, new BenchmarkReport.Score(3, 4), direct)).isEqualTo("not resolved (< 5 µs)");
        assertThat(BenchmarkReport.goal(1, new BenchmarkReport.Score(0.5, 4), direct)).isEqualTo("met (< 5 µs)");
        assertThat(BenchmarkReport.goal(1000, new BenchmarkReport.Score(1, 0.5), direct)).isEqualTo("met (< 10%)");
        assertThat(BenchmarkReport.goal(1000, new BenchmarkReport.Score(5, 1), direct)).isEqualTo("missed (< 10%)");
    }

    @Test
    void cpuTimeFromTheProfilerGetsATableOfItsOwn() {
        ArrayNode results = JSON.createArrayNode();
        ObjectNode direct = result("OnnxPredictBenchmark.direct", 1, 40, 5);
        direct.putObject("secondaryMetrics").set(CpuTimeProfiler.LABEL, metric(20, 1));
        ObjectNode ferry = result("OnnxPredictBenchmark.ferryPredict", 1, 41, 5);
        ferry.putObject("secondaryMetrics").set(CpuTimeProfiler.LABEL, metric(21, 1));
        results.add(direct);
        results.add(ferry);

        String report = BenchmarkReport.format(results);

        assertThat(report).contains("CPU time per call")
                .contains("| ONNX | 1 | 20.0 ± 1.00 | 21.0 ± 1.00 | 1.00 ± 1.41 | 1.050 |  | met (< 5 µs) |");
    }

    private static ObjectNode result(String benchmark, int rows, double score, double error) {
        ObjectNode r = JSON.createObjectNode();
        r.put("benchmark", "dev.ferry.bench." + benchmark);
        r.putObject("params").put("rows", Integer.toString(rows));
        r.set("primaryMetric", metric(score, error));
        return r;
    }

    private static JsonNode metric(double score, double error) {
        ObjectNode m = JSON.createObjectNode();
        m.put("score", score);
        m.put("scoreError", error);
        m.put("scoreUnit", "us/op");
        return m;
    }
}
