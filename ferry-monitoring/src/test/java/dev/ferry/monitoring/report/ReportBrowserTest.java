package dev.ferry.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** The synthetic report in headless Chromium: every chart drawn, every section there, markup from the data shown as text. */
@org.junit.jupiter.api.Tag("browser")
class ReportBrowserTest {

    @Test
    void theReportRendersInABrowserWithItsChartsAndShowsMarkupAsText(@TempDir Path dir) throws Exception {
        ReportData ref = ReportData.read(Synthetic.reference(dir), Optional.of("ts"), n -> { });
        ReportData cur = ReportData.read(Synthetic.analysis(dir), Optional.of("ts"), n -> { });
        MonitoringReport r = ReportBuilder.build(ReportReference.of(ref), cur, Optional.of(ReportOutcome.fromColumns(cur, "p", "y")),
                "analysis.csv", HtmlReportTest.options(new Windowing.Fixed(Duration.ofDays(1))), n -> { });
        Path file = dir.resolve("report.html");
        HtmlReport.write(r, file);
        ChromeDriver browser = Browser.start(dir.resolve("chromium"));
        try {
            long charts = ReportPage.check(browser, file, List.of("summary", "dataset-drift", "prediction-drift", "accuracy", "features",
                    "quality", "feature-x", "feature-colour", "feature-size_kg"));
            // four distributions and three drift series (code is not compared), the prediction's two,
            // the dataset share, auc, accuracy and calibration
            assertThat(charts).isEqualTo(4 + 3 + 2 + 1 + 3);
            assertThat(browser.findElements(By.cssSelector("b"))).isEmpty();
            assertThat(browser.findElement(By.id("feature-colour")).getText()).contains("colour");
            assertThat(browser.getTitle()).isEqualTo("Synthetic <model> & \"friends\"");
            assertThat(browser.findElement(By.id("quality")).getText()).contains("feature 'code' is served as string but was trained as int64");
        } finally {
            browser.quit();
        }
    }
}
