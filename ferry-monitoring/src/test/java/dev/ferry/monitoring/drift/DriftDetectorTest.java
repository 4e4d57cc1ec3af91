package dev.ferry.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.Profiles;
import dev.ferry.types.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {

    static List<Row> rows(long seed, int n, double shift, double blueShare) {
        Random r = new Random(seed);
        List<Row> out = new ArrayList<>();
        String[] sizes = {"S", "M", "L"};
        for (int i = 0; i < n; i++) {
            out.add(Row.of("x", r.nextGaussian() + shift, "y", r.nextGaussian(), "size", sizes[r.nextInt(3)],
                    "color", r.nextDouble() < blueShare ? "blue" : "red", "rooms", (long) r.nextInt(4),
                    "score", r.nextDouble()));
        }
        return out;
    }

    @Test
    void choosesTheMethodEvidentlyWouldForSmallBaselines() {
        DriftReport report = DriftDetector.defaults().compare(Samples.of(rows(1, 800, 0, 0.5)), Samples.of(rows(2, 800, 0, 0.5)));
        assertThat(report.feature("x").orElseThrow().method()).isEqualTo(DriftMethod.KS);
        assertThat(report.feature("size").orElseThrow().method()).isEqualTo(DriftMethod.CHI_SQUARE);
        assertThat(report.feature("color").orElseThrow().method()).isEqualTo(DriftMethod.Z_TEST);
        assertThat(report.feature("rooms").orElseThrow().method()).as("4 distinct numbers").isEqualTo(DriftMethod.CHI_SQUARE);
        assertThat(report.features()).noneMatch(FeatureDrift::approximate);
    }

    @Test
    void choosesDistancesForLargeBaselines() {
        DriftReport report = DriftDetector.defaults().compare(Samples.of(rows(1, 3000, 0, 0.5)), Samples.of(rows(2, 3000, 0, 0.5)));
        assertThat(report.feature("x").orElseThrow().method()).isEqualTo(DriftMethod.WASSERSTEIN);
        assertThat(report.feature("size").orElseThrow().method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
        assertThat(report.feature("rooms").orElseThrow().method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
        assertThat(report.feature("x").orElseThrow().threshold()).isEqualTo(0.1);
    }

    @Test
    void findsTheShiftedFeaturesAndOnlyThose() {
        DriftReport report = DriftDetector.defaults().compare(Samples.of(rows(1, 900, 0, 0.5)), Samples.of(rows(2, 900, 0.5, 0.7)));
        assertThat(report.feature("x").orElseThrow().drifted()).isTrue();
        assertThat(report.feature("color").orElseThrow().drifted()).isTrue();
        assertThat(report.feature("y").orElseThrow().drifted()).isFalse();
        assertThat(report.feature("size").orElseThrow().drifted()).isFalse();
        assertThat(report.driftedShare()).isEqualTo(2.0 / 6);
        assertThat(report.datasetDrifted()).isFalse();
    }

    @Test
    void profilesAndRawSamplesReachTheSameVerdicts() {
        List<Row> base = rows(3, 5000, 0, 0.5);
        List<Row> cur = rows(4, 5000, 0.3, 0.6);
        DriftDetector d = DriftDetector.defaults();
        DriftReport exact = d.compare(Samples.of(base), Samples.of(cur));
        DriftReport approx = d.compare(Profiles.of(base), Profiles.of(cur));
        for (FeatureDrift e : exact.features()) {
            FeatureDrift a = approx.feature(e.feature()).orElseThrow();
            assertThat(a.method()).isEqualTo(e.method());
            assertThat(a.drifted()).as(e.feature()).isEqualTo(e.drifted());
            assertThat(a.approximate()).isTrue();
        }
    }

    @Test
    void perFeatureMethodThresholdAndPredictionColumnAreHonoured() {
        DriftDetector d = DriftDetector.builder().method("x", DriftMethod.PSI).threshold("x", 0.5)
                .predictionColumn("score").datasetShare(0.25).build();
        DriftReport report = d.compare(Samples.of(rows(1, 900, 0, 0.5)), Samples.of(rows(2, 900, 0.5, 0.7)));
        FeatureDrift x = report.feature("x").orElseThrow();
        assertThat(x.method()).isEqualTo(DriftMethod.PSI);
        assertThat(x.threshold()).isEqualTo(0.5);
        assertThat(report.prediction()).map(FeatureDrift::feature).contains("score");
        assertThat(report.features()).extracting(FeatureDrift::feature).doesNotContain("score");
        assertThat(report.datasetDrifted()).isEqualTo(report.driftedShare() >= 0.25);
    }

    @Test
    void aNumericOnlyMethodOnACategoricalFeatureIsRefused() {
        DriftDetector d = DriftDetector.builder().method("size", DriftMethod.KS).build();
        assertThatThrownBy(() -> d.compare(Samples.of(rows(1, 100, 0, 0.5)), Samples.of(rows(2, 100, 0, 0.5))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("feature 'size'").hasMessageContaining("categorical");
        assertThatThrownBy(() -> DriftMethod.parse("kl")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'kl'").hasMessageContaining("ks, chisquare");
    }

    /** About 570 values, more than the 256 a profile keeps counts of. */
    @Test
    void aCategoricalFeatureWithMoreValuesThanTheSummaryKeepsIsComparedWithAnOtherBucket() {
        Random r = new Random(9);
        List<Row> base = new ArrayList<>();
        List<Row> same = new ArrayList<>();
        List<Row> moved = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            base.add(Row.of("item", "i" + (int) Math.abs(r.nextGaussian() * 150)));
            same.add(Row.of("item", "i" + (int) Math.abs(r.nextGaussian() * 150)));
            moved.add(Row.of("item", "i" + (int) Math.abs(r.nextGaussian() * 150 + 200)));
        }
        DatasetProfile b = Profiles.of(base);
        assertThat(b.feature("item").orElseThrow().frequentValuesExact()).isFalse();
        DriftDetector d = DriftDetector.defaults();
        FeatureDrift stable = d.compare(b, Profiles.of(same)).feature("item").orElseThrow();
        FeatureDrift stableExact = d.compare(Samples.of(base), Samples.of(same)).feature("item").orElseThrow();
        assertThat(stable.method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
        assertThat(stable.drifted()).isFalse();
        assertThat(stable.statistic()).isCloseTo(stableExact.statistic(), within(0.005));
        assertThat(d.compare(b, Profiles.of(moved)).feature("item").orElseThrow().drifted()).isTrue();
        assertThat(d.compare(Samples.of(base), Samples.of(moved)).feature("item").orElseThrow().drifted()).isTrue();
    }

    @Test
    void featuresOnOneSideOnlyAreSkipped() {
        DatasetProfile a = Profiles.of(List.of(Row.of("x", 1.0, "old", 2.0)));
        DatasetProfile b = Profiles.of(List.of(Row.of("x", 1.0, "new", 2.0)));
        assertThat(DriftDetector.defaults().compare(a, b).skipped()).containsExactly("old", "new");
    }
}
