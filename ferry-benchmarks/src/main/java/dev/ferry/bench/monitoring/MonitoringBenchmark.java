package dev.ferry.bench.monitoring;

import dev.ferry.monitoring.alert.ScoreBoard;
import dev.ferry.monitoring.live.FeatureCheck;
import dev.ferry.monitoring.live.LiveQualityConfig;
import dev.ferry.monitoring.live.LiveQualityMonitor;
import dev.ferry.monitoring.outcome.Metrics;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.types.Row;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of monitoring: the live data-quality monitor on one batch of 512 served predictions of
 * 20 features (the prediction log's batch size), and AUC over 100,000 outcomes. The monitor runs
 * on the prediction log's background thread, so its cost bounds how many predictions per second
 * it can follow before the log queue drops.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MonitoringBenchmark {

    private LiveQualityMonitor monitor;
    private List<PredictionRecord> batch;
    private double[] scores;
    private double[] labels;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        Map<String, FeatureCheck> checks = new LinkedHashMap<>();
        for (int f = 0; f < 10; f++) {
            checks.put("num_" + f, new FeatureCheck.Range(-2, 2));
        }
        checks.put("country", new FeatureCheck.Allowed(Set.of("NO", "SE", "DK")));
        monitor = new LiveQualityMonitor(new LiveQualityConfig(Duration.ofHours(1), checks, 48), new ScoreBoard(new SimpleMeterRegistry()));
        batch = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 512; i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int f = 0; f < 19; f++) {
                values.put("num_" + f, r.nextDouble() < 0.02 ? null : r.nextGaussian());
            }
            values.put("country", List.of("NO", "SE", "DK", "FI").get(r.nextInt(4)));
            batch.add(new PredictionRecord("r" + i, t.plusMillis(i), "credit", "champion", "credit", 1, false, AnswerSource.MODEL,
                    false, Map.of("user_id", i), new Row(values), Row.of("score", r.nextDouble())));
        }
        scores = new double[100_000];
        labels = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            labels[i] = r.nextDouble() < 0.3 ? 1 : 0;
            scores[i] = Math.round((r.nextGaussian() + labels[i]) * 1000) / 1000.0;
        }
    }

    @Benchmark
    public LiveQualityMonitor liveQualityBatchOf512() {
        monitor.write(batch);
        return monitor;
    }

    @Benchmark
    public double auc100k() {
        return Metrics.auc(scores, labels);
    }
}
