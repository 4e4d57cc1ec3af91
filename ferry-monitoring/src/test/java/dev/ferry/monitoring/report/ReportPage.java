package dev.ferry.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** What every rendered report must satisfy in a real browser. */
final class ReportPage {

    private ReportPage() {
    }

    /**
     * Opens the report from disk and checks that it loaded nothing from outside, logged no
     * error, has every section with an id in {@code sectionIds}, and that every chart is drawn
     * with a non-zero size and shapes in it. Returns the number of charts.
     */
    @SuppressWarnings("unchecked")
    static long check(ChromeDriver browser, Path file, List<String> sectionIds) {
        browser.get(file.toUri().toString());
        assertThat(browser.getTitle()).isNotBlank();
        for (String id : sectionIds) {
            assertThat(browser.executeScript("return document.getElementById(arguments[0]) !== null", id)).as("section #%s", id).isEqualTo(true);
        }
        List<Map<String, Object>> charts = (List<Map<String, Object>>) browser.executeScript("""
                return Array.from(document.querySelectorAll('svg.chart')).map(s => {
                  const r = s.getBoundingClientRect();
                  return {label: s.getAttribute('aria-label'), width: r.width, height: r.height,
                          shapes: s.querySelectorAll('rect, path, circle, line').length};
                });""");
        assertThat(charts).isNotEmpty();
        for (Map<String, Object> c : charts) {
            assertThat(((Number) c.get("width")).doubleValue()).as("width of %s", c.get("label")).isGreaterThan(100);
            assertThat(((Number) c.get("height")).doubleValue()).as("height of %s", c.get("label")).isGreaterThan(100);
            assertThat(((Number) c.get("shapes")).intValue()).as("shapes in %s", c.get("label")).isGreaterThan(2);
        }
        assertThat(((Number) browser.executeScript("return performance.getEntriesByType('resource').length")).intValue())
                .as("resources loaded from outside the file").isZero();
        assertThat(browser.executeScript("return document.querySelectorAll('script').length")).isEqualTo(0L);
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
        return charts.size();
    }
}
