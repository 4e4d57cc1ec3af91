package dev.ferry.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.monitoring.alert.ScoreKey;
import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.profile.FileProfiler;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.testing.MutableClock;
import dev.ferry.types.Row;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NannyML's California housing periods served through the monitor: the reference period is the
 * baseline, the analysis period is served as one window. Each feature's normalized Wasserstein
 * distance must match scipy's ({@code wasserstein_distance / np.std(reference)}, scipy 1.17.1)
 * within the sketches' tolerance, and the verdicts must be the exact ones: five of eight features
 * and the predicted probability drifted, so the default dataset-drift rule fires.
 */
@Tag("conformance")
class MonitorCaliforniaConformanceTest {

    static final Path DATA = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "nannyml-california").toAbsolutePath();

    /** feature -> normalized Wasserstein distance from scipy (as in CaliforniaDriftConformanceTest). */
    static final Map<String, Double> SCIPY = Map.of(
            "MedInc", 0.15753733680687249, "HouseAge", 0.1785648209398319, "AveRooms", 0.0827668802573776,
            "AveBedrms", 0.0352040007812698, "Population", 0.04341135431844789, "AveOccup", 0.23571410508346613,
            "Latitude", 1.1244579951579723, "Longitude", 1.243107242081922, "y_pred_proba", 0.5313243748595077);

    @TempDir
    Path dir;

    @Test
    void servedAnalysisPeriodDriftsAsScipySays() throws Exception {
        BaselineStore store = BaselineStore.in(dir);
        store.save("housing", 1, FileProfiler.profile(DATA.resolve("california_housing_reference.csv"),
                Set.of("id", "timestamp", "clf_target", "y_pred"), n -> { }), false);
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<String> lines = Files.readAllLines(DATA.resolve("california_housing_analysis.csv"));
        List<String> header = List.of(lines.getFirst().split(","));
        List<PredictionRecord> records = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",");
            Map<String, Object> features = new HashMap<>();
            for (String f : SCIPY.keySet()) {
                if (!f.equals("y_pred_proba")) {
                    features.put(f, Double.parseDouble(v[header.indexOf(f)]));
                }
            }
            records.add(new PredictionRecord(v[0], clock.instant(), "housing", "main", "housing", 1, false, AnswerSource.MODEL, false,
                    Map.of("id", v[0]), new Row(features),
                    new Row(Map.of("y_pred_proba", Double.parseDouble(v[header.indexOf("y_pred_proba")])))));
        }
        try (DeploymentMonitor monitor = new DeploymentMonitor(new WatchConfig(Duration.ofHours(1), WatchConfig.defaultRules(),
                Optional.empty(), 100_000), BaselineSource.of(store), meters, clock)) {
            monitor.write(records);
            monitor.awaitProcessed();
            clock.advance(Duration.ofHours(1));
            monitor.closeDueWindows();

            String[] group = {"deployment", "housing", "model", "housing", "version", "1", "arm", "main"};
            for (var e : SCIPY.entrySet()) {
                boolean prediction = e.getKey().equals("y_pred_proba");
                ScoreKey key = prediction
                        ? ScoreKey.of(DeploymentMonitor.PREDICTION_DRIFT, with(group, "output", e.getKey(), "method", "wasserstein"))
                        : ScoreKey.of(DeploymentMonitor.DRIFT, with(group, "feature", e.getKey(), "method", "wasserstein"));
                assertThat(monitor.scores().get(key)).as(e.getKey()).isCloseTo(e.getValue(), within(0.02 + 0.05 * e.getValue()));
            }
            for (String f : List.of("MedInc", "HouseAge", "AveOccup", "Latitude", "Longitude")) {
                assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.DRIFT_DETECTED, with(group, "feature", f)))).as(f).isEqualTo(1);
            }
            for (String f : List.of("AveRooms", "AveBedrms", "Population")) {
                assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.DRIFT_DETECTED, with(group, "feature", f)))).as(f).isEqualTo(0);
            }
            assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.DRIFTED_SHARE, group))).isEqualTo(5.0 / 8);
            assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.SKEW_TYPE_MISMATCH, group))).isEqualTo(0);
            assertThat(monitor.scores().get(ScoreKey.of(DeploymentMonitor.SKEW_MISSING, group))).isEqualTo(0);
            assertThat(meters.get("ferry.monitor.alerts.firing").tag("rule", "dataset-drift").gauge().value()).isEqualTo(1);
        }
    }

    private static String[] with(String[] group, String... more) {
        String[] out = new String[group.length + more.length];
        System.arraycopy(group, 0, out, 0, group.length);
        System.arraycopy(more, 0, out, group.length, more.length);
        return out;
    }
}
