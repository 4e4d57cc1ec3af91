package dev.ferry.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.drift.DriftMethod;
import dev.ferry.monitoring.outcome.Metrics;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.FileProfiler;
import dev.ferry.monitoring.report.MonitoringReport.FeatureSection;
import dev.ferry.monitoring.skew.SchemaIssue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    static Path dir;
    static ReportData reference;
    static ReportData analysis;
    static MonitoringReport report;

    static ReportOptions options(Windowing w) {
        return ReportOptions.defaults("Synthetic <model> & \"friends\"", w).withExclude(Set.of("id", "y")).withPrediction("p");
    }

    static MonitoringReport build(ReportReference ref, Windowing w) {
        return ReportBuilder.build(ref, analysis, Optional.of(ReportOutcome.fromColumns(analysis, "p", "y")), "analysis.csv columns p and y",
                options(w), n -> { });
    }

    @BeforeAll
    static void read() throws Exception {
        reference = ReportData.read(Synthetic.reference(dir), Optional.of("ts"), n -> { });
        analysis = ReportData.read(Synthetic.analysis(dir), Optional.of("ts"), n -> { });
        report = build(ReportReference.of(reference), new Windowing.Fixed(Duration.ofDays(1)));
    }

    @Test
    void theShiftedFeatureDriftsFromTheThirdDayAndTheOthersDoNot() {
        assertThat(report.windows()).extracting(MonitoringReport.WindowInfo::label)
                .containsExactly("2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04");
        FeatureSection x = report.feature("x").orElseThrow();
        assertThat(x.overall().orElseThrow().method()).isEqualTo(DriftMethod.KS);
        assertThat(x.overall().orElseThrow().drifted()).isTrue();
        assertThat(x.firstDriftedWindow()).contains("2024-01-03");
        assertThat(x.perWindow()).extracting(w -> w.drift().orElseThrow().drifted()).containsExactly(false, false, true, true);
        assertThat(report.feature("colour").orElseThrow().overall().orElseThrow().drifted()).isFalse();
        assertThat(report.feature("colour").orElseThrow().distribution().labels()).contains("<b>red</b>");
        assertThat(report.driftedFeatures()).extracting(FeatureSection::name).containsExactly("x");
        assertThat(report.prediction().orElseThrow().name()).isEqualTo("p");
        assertThat(report.features()).extracting(FeatureSection::name).doesNotContain("p", "id", "y");
    }

    @Test
    void skewAndQualityShowTheTypeMismatchTheLostValuesAndTheOutOfRangeShare() {
        assertThat(report.schemaIssues()).extracting(SchemaIssue::feature, SchemaIssue::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("code", SchemaIssue.Kind.TYPE_MISMATCH));
        FeatureSection size = report.feature("size_kg").orElseThrow();
        assertThat(size.quality().referenceNullRate()).isZero();
        assertThat(size.quality().analysisNullRate()).isBetween(0.15, 0.45);
        assertThat(size.skew().orElseThrow().nullRateSkewed()).isTrue();
        FeatureSection x = report.feature("x").orElseThrow();
        double[] ref = reference.column("x").stream().mapToDouble(v -> (Double) v).toArray();
        double lo = java.util.Arrays.stream(ref).min().orElseThrow();
        double hi = java.util.Arrays.stream(ref).max().orElseThrow();
        long outside = analysis.column("x").stream().mapToDouble(v -> (Double) v).filter(v -> v < lo || v > hi).count();
        assertThat(x.quality().outOfRangeRate()).isEqualTo(outside / 96.0);
        assertThat(x.distribution().reference().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void accuracyPerWindowIsComputedFromTheOutcomesOfThatWindow() {
        MonitoringReport.Accuracy a = report.accuracy().orElseThrow();
        assertThat(a.outcomes()).isEqualTo(96);
        assertThat(a.perWindow()).hasSize(4);
        for (int d = 0; d < 4; d++) {
            double[] s = new double[24];
            double[] y = new double[24];
            for (int i = 0; i < 24; i++) {
                s[i] = (Double) analysis.value(24 * d + i, "p");
                y[i] = ((Long) analysis.value(24 * d + i, "y")).doubleValue();
            }
            assertThat(a.perWindow().get(d).metrics().get("auc")).isEqualTo(Metrics.auc(s, y));
            assertThat(a.perWindow().get(d).count()).isEqualTo(24);
        }
        assertThat(a.calibration().orElseThrow().buckets()).hasSize(10);
    }

    @Test
    void chunksAndMonthsCutTheSameRowsDifferently() {
        MonitoringReport chunks = build(ReportReference.of(reference), new Windowing.Chunks(3));
        assertThat(chunks.windows()).extracting(MonitoringReport.WindowInfo::rows).containsExactly(32, 32, 32);
        assertThat(chunks.windows().get(0).start()).isEqualTo(Synthetic.day(0));
        MonitoringReport months = build(ReportReference.of(reference), Windowing.parse("month"));
        assertThat(months.windows()).extracting(MonitoringReport.WindowInfo::label).containsExactly("2024-01");
    }

    @Test
    void aStoredProfileAsReferenceGivesTheSameVerdicts() {
        DatasetProfile profile = FileProfiler.profile(reference.source(), Set.of("ts"), n -> { });
        MonitoringReport fromProfile = build(ReportReference.of(profile, "baseline profile"), new Windowing.Fixed(Duration.ofDays(1)));
        assertThat(fromProfile.feature("x").orElseThrow().overall().orElseThrow().approximate()).isTrue();
        assertThat(fromProfile.driftedFeatures()).extracting(FeatureSection::name).containsExactly("x");
        assertThat(fromProfile.feature("x").orElseThrow().firstDriftedWindow()).contains("2024-01-03");
        assertThat(HtmlReport.render(fromProfile)).contains("from profiles");
    }

    @Test
    void everyStringFromTheDataIsEscaped() {
        String html = HtmlReport.render(report);
        assertThat(html).doesNotContain("<b>red</b>", "<v1>", "<model>", "<script")
                .contains("&lt;b&gt;red&lt;/b&gt;", "reference &lt;v1&gt; &amp;amp.csv", "Synthetic &lt;model&gt; &amp; &quot;friends&quot;");
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(html).contains("id=\"summary\"", "id=\"dataset-drift\"", "id=\"prediction-drift\"", "id=\"accuracy\"", "id=\"quality\"",
                "id=\"feature-x\"", "id=\"feature-size_kg\"");
    }

    @Test
    void theSameInputsRenderToTheSameBytes() throws Exception {
        Path a = dir.resolve("a.html");
        Path b = dir.resolve("b.html");
        HtmlReport.write(report, a);
        HtmlReport.write(build(ReportReference.of(ReportData.read(reference.source(), Optional.of("ts"), n -> { })),
                new Windowing.Fixed(Duration.ofDays(1))), b);
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
    }

    @Test
    void badInputsAreRefusedNamingWhatWasWrong() throws Exception {
        assertThatThrownBy(() -> ReportData.read(analysis.source(), Optional.of("time"), n -> { }))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("timestamp column was 'time'").hasMessageContaining("ts");
        assertThatThrownBy(() -> Windowing.parse("3x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--window was '3x'");
        assertThatThrownBy(() -> ReportBuilder.build(ReportReference.of(reference), analysis,
                ReportOptions.defaults("t", new Windowing.Chunks(2)).withPrediction("score"), n -> { }))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("prediction column was 'score'");
        ReportData untimed = ReportData.read(analysis.source(), Optional.empty(), n -> { });
        assertThatThrownBy(() -> ReportBuilder.build(ReportReference.of(reference), untimed, ReportOptions.defaults("t", new Windowing.Chunks(2)), n -> { }))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("without a timestamp column");
        ReportData odd = ReportData.read(Files.writeString(dir.resolve("odd.csv"), "ts,\"a<b\"\n2024-01-01 00:00:00,1\n"),
                Optional.of("ts"), n -> { });
        assertThatThrownBy(() -> ReportBuilder.build(ReportReference.of(odd), odd, ReportOptions.defaults("t", new Windowing.Chunks(1)), n -> { }))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field name was 'a<b'");
        assertThatThrownBy(() -> ReportOutcome.fromColumns(analysis, "colour", "y")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("score column 'colour'");
    }
}
