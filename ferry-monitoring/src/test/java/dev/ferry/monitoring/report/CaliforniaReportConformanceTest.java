package dev.ferry.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.monitoring.drift.DriftDetector;
import dev.ferry.monitoring.drift.DriftMethod;
import dev.ferry.monitoring.report.MonitoringReport.AccuracyPoint;
import dev.ferry.monitoring.report.MonitoringReport.FeatureSection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The report on NannyML's California housing data, windowed by calendar month as NannyML's own
 * example does ({@code chunk_period='M'}, two-sample KS at p &lt; 0.05). NannyML's published
 * ranking of that example counts the analysis months in which each feature drifted: Latitude,
 * AveOccup, Longitude and HouseAge 12, MedInc and AveRooms 11, AveBedrms and Population 8; and
 * its example finds the model's performance drop in September 2021. The report must find the
 * same, and show accuracy per month once the published targets are joined.
 */
@Tag("conformance")
class CaliforniaReportConformanceTest {

    static final Path DATA = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "nannyml-california").toAbsolutePath();
    static final Set<String> NOT_FEATURES = Set.of("id", "clf_target", "y_pred");

    /** NannyML's published "number_of_alerts" per feature over the 12 analysis months. */
    static final Map<String, Long> NANNYML_ALERTS = Map.of("Latitude", 12L, "AveOccup", 12L, "Longitude", 12L, "HouseAge", 12L,
            "MedInc", 11L, "AveRooms", 11L, "AveBedrms", 8L, "Population", 8L);

    @TempDir
    static Path dir;
    static ReportData reference;
    static ReportData analysis;
    static ReportData targets;
    static MonitoringReport ks;

    static MonitoringReport build(DriftDetector detector) {
        ReportOptions o = ReportOptions.defaults("California housing", Windowing.parse("month")).withDetector(detector)
                .withExclude(NOT_FEATURES).withPrediction("y_pred_proba");
        return ReportBuilder.build(ReportReference.of(reference), analysis,
                Optional.of(ReportOutcome.joined(analysis, "y_pred_proba", targets, "id", "clf_target")),
                "california_housing_analysis_gt.csv", o, n -> { });
    }

    @BeforeAll
    static void read() {
        reference = ReportData.read(DATA.resolve("california_housing_reference.csv"), Optional.of("timestamp"), n -> { });
        analysis = ReportData.read(DATA.resolve("california_housing_analysis.csv"), Optional.of("timestamp"), n -> { });
        targets = ReportData.read(DATA.resolve("california_housing_analysis_gt.csv"), Optional.empty(), n -> { });
        ks = build(DriftDetector.builder().defaultMethod(DriftMethod.KS).build());
    }

    @Test
    void driftedMonthsPerFeatureAreNannymlsPublishedCounts() {
        assertThat(ks.windows()).extracting(MonitoringReport.WindowInfo::label).containsExactly("2021-06", "2021-07", "2021-08", "2021-09",
                "2021-10", "2021-11", "2021-12", "2022-01", "2022-02", "2022-03", "2022-04", "2022-05");
        Map<String, Long> counts = new TreeMap<>();
        ks.features().forEach(f -> counts.put(f.name(), f.driftedWindows()));
        assertThat(counts).isEqualTo(new TreeMap<>(NANNYML_ALERTS));
        // NannyML's ranking order (alert count, then mean KS D) puts these first; all of them drift from the first analysis month on
        for (String f : List.of("Latitude", "Longitude", "HouseAge", "AveOccup", "MedInc", "AveRooms")) {
            assertThat(ks.feature(f).orElseThrow().firstDriftedWindow()).as(f).contains("2021-06");
        }
        assertThat(ks.feature("AveBedrms").orElseThrow().firstDriftedWindow()).contains("2021-07");
        assertThat(ks.feature("Population").orElseThrow().firstDriftedWindow()).contains("2021-07");
        assertThat(ks.prediction().orElseThrow().firstDriftedWindow()).contains("2021-06");
        assertThat(ks.datasetDrift().get(0).drifted()).isTrue();
    }

    @Test
    void withEvidentlysDefaultsTheReportNamesTheFeaturesThatDriftOverTheWholePeriod() {
        MonitoringReport defaults = build(DriftDetector.defaults());
        assertThat(defaults.driftedFeatures()).extracting(FeatureSection::name)
                .containsExactlyInAnyOrder("MedInc", "HouseAge", "AveOccup", "Latitude", "Longitude");
        assertThat(defaults.features()).allMatch(f -> f.overall().orElseThrow().method() == DriftMethod.WASSERSTEIN);
        assertThat(defaults.feature("Latitude").orElseThrow().firstDriftedWindow()).contains("2021-06");
        assertThat(defaults.prediction().orElseThrow().overall().orElseThrow().drifted()).isTrue();
    }

    @Test
    void accuracyPerMonthMatchesCommonsMathAndIsWorstInSeptember() throws Exception {
        MonitoringReport.Accuracy a = ks.accuracy().orElseThrow();
        assertThat(a.outcomes()).isEqualTo(8232);
        assertThat(a.perWindow()).hasSize(12);
        Map<String, List<double[]>> byMonth = new HashMap<>();
        List<String> lines = Files.readAllLines(DATA.resolve("california_housing_analysis.csv"));
        Map<String, Double> labels = new HashMap<>();
        Files.readAllLines(DATA.resolve("california_housing_analysis_gt.csv")).stream().skip(1)
                .forEach(l -> labels.put(l.split(",")[0], Double.parseDouble(l.split(",")[1])));
        List<String> header = List.of(lines.get(0).split(","));
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split(",");
            byMonth.computeIfAbsent(c[header.indexOf("timestamp")].substring(0, 7), k -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(c[header.indexOf("y_pred_proba")]), labels.get(c[0])});
        }
        for (AccuracyPoint p : a.perWindow()) {
            List<double[]> rows = byMonth.get(p.window());
            double[] pos = rows.stream().filter(r -> r[1] == 1).mapToDouble(r -> r[0]).toArray();
            double[] neg = rows.stream().filter(r -> r[1] == 0).mapToDouble(r -> r[0]).toArray();
            double u = new MannWhitneyUTest().mannWhitneyU(pos, neg);
            double auc = Math.max(u, (double) pos.length * neg.length - u) / ((double) pos.length * neg.length);
            assertThat(p.count()).isEqualTo(rows.size());
            assertThat(p.metrics().get("auc")).as("auc in %s", p.window()).isCloseTo(auc, within(1e-12));
            long correct = rows.stream().filter(r -> (r[0] >= 0.5 ? 1.0 : 0.0) == r[1]).count();
            assertThat(p.metrics().get("accuracy")).isCloseTo((double) correct / rows.size(), within(1e-12));
        }
        assertThat(a.perWindow().stream().min(Comparator.comparing(p -> p.metrics().get("auc"))).orElseThrow().window()).isEqualTo("2021-09");
        assertThat(a.calibration().orElseThrow().buckets()).hasSize(10);
    }

    @Test
    @Tag("browser")
    void theReportRendersTheSameBytesTwiceAndDrawsInABrowser() throws Exception {
        Path a = dir.resolve("california.html");
        HtmlReport.write(ks, a);
        String again = HtmlReport.render(build(DriftDetector.builder().defaultMethod(DriftMethod.KS).build()));
        assertThat(again).isEqualTo(Files.readString(a));
        ChromeDriver browser = Browser.start(dir.resolve("chromium"));
        try {
            List<String> sections = new ArrayList<>(List.of("summary", "dataset-drift", "prediction-drift", "accuracy", "features", "quality"));
            NANNYML_ALERTS.keySet().forEach(f -> sections.add("feature-" + f));
            long charts = ReportPage.check(browser, a, sections);
            assertThat(charts).isEqualTo(8 * 2 + 2 + 1 + 3);
            Browser.screenshot(browser, "california-report", 2400);
            Browser.screenshot(browser, By.id("feature-Latitude"), "california-latitude");
        } finally {
            browser.quit();
        }
    }
}
