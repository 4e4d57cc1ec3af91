package dev.ferry.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.monitoring.alert.ScoreKey;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.testing.MutableClock;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Row;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeploymentMonitorTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DeploymentMonitor monitor;

    @AfterEach
    void tearDown() {
        if (monitor != null) {
            monitor.close();
        }
    }

    static DatasetProfile baseline() {
        ProfileAccumulator acc = ProfileAccumulator.inferring();
        for (int i = 0; i < 200; i++) {
            acc.add(Map.of("age", (long) (20 + i % 50), "income", 1000.0 + i));
        }
        return acc.snapshot();
    }

    static PredictionRecord record(Instant at, String arm, String model, boolean shadow, Map<String, Object> features) {
        return new PredictionRecord("r", at, "credit", arm, model, 1, shadow, AnswerSource.MODEL, false, Map.of(),
                new Row(features), new Row(Map.of("score", 0.5)));
    }

    private WatchConfig config(int queue) {
        return new WatchConfig(Duration.ofMinutes(1), WatchConfig.defaultRules(), Optional.empty(), queue);
    }

    @Test
    void shadowPredictionsAreProfiledApartAndALaterRecordClosesTheWindow() throws Exception {
        monitor = new DeploymentMonitor(config(1000), (m, v) -> baseline(), meters, clock);
        Instant t = clock.instant();
        List<PredictionRecord> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(record(t, "main", "credit", false, Map.of("age", 30L + i, "income", 1050.0 + i)));
        }
        for (int i = 0; i < 10; i++) {
            batch.add(record(t, "shadow", "credit-next", true, Map.of("age", 30L + i, "income", 1050.0 + i)));
        }
        monitor.write(batch);
        monitor.write(List.of(record(t.plus(Duration.ofMinutes(1)), "main", "credit", false, Map.of("age", 40L, "income", 1100.0))));
        monitor.awaitProcessed();

        assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.WINDOW_RECORDS, "deployment", "credit", "model", "credit",
                "version", "1", "arm", "main"))).isEqualTo(30);
        Map<String, Object> status = monitor.status("credit", false).orElseThrow();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) status.get("groups");
        assertThat(groups).extracting(g -> g.get("arm")).containsExactly("main", "shadow");
        assertThat(groups.get(1).get("model")).isEqualTo("credit-next");
        @SuppressWarnings("unchecked")
        Map<String, Object> open = (Map<String, Object>) groups.get(0).get("open_window");
        assertThat(open.get("records")).isEqualTo(1L);
        assertThat(groups.get(0).get("latest_window")).isNotNull();
        assertThat(groups.get(1).get("latest_window")).as("the shadow's window is still open").isNull();
        assertThat(monitor.status("elsewhere", false)).isEmpty();
    }

    @Test
    void extraAndMissingFeaturesAreSkewAtOnceAndIntegersFitFloatingFeatures() throws Exception {
        monitor = new DeploymentMonitor(config(1000), (m, v) -> baseline(), meters, clock);
        monitor.write(List.of(record(clock.instant(), "main", "credit", false, Map.of("income", 5, "zip", "0150"))));
        monitor.awaitProcessed();

        String[] labels = {"deployment", "credit", "model", "credit", "version", "1", "arm", "main"};
        assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.SKEW_MISSING, labels))).isEqualTo(1);
        assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.SKEW_EXTRA, labels))).isEqualTo(1);
        assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.SKEW_TYPE_MISMATCH, labels))).isEqualTo(0);
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        monitor = new DeploymentMonitor(config(2), (m, v) -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return baseline();
        }, meters, clock);
        Instant t = clock.instant();
        monitor.write(List.of(record(t, "main", "credit", false, Map.of("age", 1L, "income", 1.0))));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        List<PredictionRecord> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            more.add(record(t, "main", "credit", false, Map.of("age", 1L, "income", 1.0)));
        }
        monitor.write(more);

        assertThat(meters.counter("ferry.monitor.dropped").count()).isEqualTo(3);
        release.countDown();
        monitor.awaitProcessed();
        clock.advance(Duration.ofMinutes(1));
        monitor.closeDueWindows();
        assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.WINDOW_RECORDS, "deployment", "credit", "model", "credit",
                "version", "1", "arm", "main"))).isEqualTo(3);
    }

    @Test
    void servedValuesAreJudgedAgainstTheBaselineType() {
        assertThat(DeploymentMonitor.compatible(FeatureType.INT64, 2.5)).isFalse();
        assertThat(DeploymentMonitor.compatible(FeatureType.INT64, 3)).isTrue();
        assertThat(DeploymentMonitor.compatible(FeatureType.FLOAT64, 3)).isTrue();
        assertThat(DeploymentMonitor.compatible(FeatureType.FLOAT64, "3")).isFalse();
        assertThat(DeploymentMonitor.compatible(FeatureType.STRING, 3L)).isFalse();
        assertThat(DeploymentMonitor.compatible(FeatureType.BOOL, true)).isTrue();
        assertThat(DeploymentMonitor.servedType(2.5)).isEqualTo(FeatureType.FLOAT64.toString());
        assertThat(DeploymentMonitor.servedType(2L)).isEqualTo(FeatureType.INT64.toString());
    }
}
