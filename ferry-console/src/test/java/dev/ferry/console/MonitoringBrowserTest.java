package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.monitoring.watch.DeploymentMonitor;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.InMemoryFeatureFetcher;
import dev.ferry.serving.testkit.InMemoryModelRegistry;
import dev.ferry.serving.testkit.Models;
import dev.ferry.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Monitoring page in a real browser against a real server with live monitoring and stored
 * baselines: {@code credit} is served two windows like its training data and then a window with
 * {@code x1} shifted by two standard deviations; {@code churn} is served a float for a feature
 * trained as an integer; {@code fraud} has no baseline. Windows are closed by moving the server's
 * clock. The page shows what the monitor judged: {@code x1} drifted and {@code x2} not, the
 * type-mismatch skew on {@code churn}, a drift chart with a point per closed window, and that
 * {@code fraud} has no baseline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Tag("browser")
class MonitoringBrowserTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:05Z"));
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    InMemoryModelRegistry registry;
    FerryServer server;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        browser = Browser.start(dir.resolve("chromium-profile"));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        registry = new InMemoryModelRegistry(dir.resolve("registry"), clock);
        Models.linear(registry, dir, "credit", 0.5, -1, 2, "normal");
        Models.linear(registry, dir, "churn", 0.5, -1, 2, "normal");
        Models.linear(registry, dir, "fraud", 0.5, -1, 2, "normal");
        Path data = dir.resolve("data");
        // training-like data: x1 ~ N(0, 1), x2 ~ N(5, 2), with the model's score
        ProfileAccumulator credit = ProfileAccumulator.inferring();
        Random rnd = new Random(7);
        for (int i = 0; i < 5000; i++) {
            double x1 = rnd.nextGaussian();
            double x2 = 5 + 2 * rnd.nextGaussian();
            credit.add(Map.of("x1", x1, "x2", x2, "score", 2 + 0.5 * x1 - x2));
        }
        BaselineStore.in(data).save("credit", 1, credit.snapshot(), false);
        // churn was trained with an integer x1
        ProfileAccumulator churn = ProfileAccumulator.inferring();
        for (long i = 0; i < 100; i++) {
            churn.add(Map.of("x1", i % 7, "x2", i * 0.5));
        }
        BaselineStore.in(data).save("churn", 1, churn.snapshot(), false);

        ServerConfig.Builder c = ServerConfig.builder().host("127.0.0.1").port(0).dataDir(data).maxBatch(1000)
                .budget(Duration.ofSeconds(30))
                .set("monitoring.enabled", "true")
                .set("monitoring.window", "1m");
        for (String name : List.of("credit", "churn", "fraud")) {
            c.deployment(name, Map.of("model", name, "version", "1"));
        }
        server = FerryServer.builder().config(c.build()).registry(registry)
                .featureFetcher(new InMemoryFeatureFetcher(clock, Duration.ofHours(1))).clock(clock)
                .extensions(List.of(new Console(Duration.ofMillis(200), Duration.ofMinutes(15)))).build().start();
        assertThat(server.awaitStartup()).isEmpty();
        DeploymentMonitor monitor = server.monitor().orElseThrow();

        Random traffic = new Random(11);
        for (int window = 1; window <= 3; window++) {
            DoubleUnaryOperator x1 = window < 3 ? z -> z : z -> z + 2;
            serve("credit", traffic, x1);
            serve("fraud", traffic, x1);
            if (window == 3) {
                post("/v1/predict/churn", Map.of("features", Map.of("x1", 2.5, "x2", 1.5)));
            }
            settle();
            clock.advance(Duration.ofMinutes(1));
            monitor.closeDueWindows();
            int closed = window;
            awaitHistory(closed);
        }
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** 1000 predictions in two batches, x1 drawn through {@code x1}, x2 ~ N(5, 2). */
    private void serve(String deployment, Random rnd, DoubleUnaryOperator x1) throws Exception {
        for (int batch = 0; batch < 2; batch++) {
            List<Map<String, Object>> requests = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                requests.add(Map.of("features", Map.of("x1", x1.applyAsDouble(rnd.nextGaussian()), "x2", 5 + 2 * rnd.nextGaussian())));
            }
            post("/v1/predict/" + deployment, Map.of("requests", requests));
        }
    }

    private JsonNode post(String path, Object body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ConsoleServer.JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ConsoleServer.JSON.readTree(r.body());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ConsoleServer.JSON.readTree(r.body());
    }

    private void settle() throws InterruptedException {
        server.engine().awaitLogWritten();
        server.monitor().orElseThrow().awaitProcessed();
    }

    /** Waits until the console's sampler has kept {@code windows} closed windows of credit. */
    private void awaitHistory(int windows) throws Exception {
        for (int i = 0; i < 200; i++) {
            JsonNode groups = get("/console/api/monitoring/history?deployment=credit").get("groups");
            if (!groups.isEmpty() && groups.get(0).get("windows").size() >= windows) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the console kept fewer than " + windows + " windows of credit");
    }

    private WebElement row(String table, String feature) {
        return wait.until(d -> d.findElements(By.cssSelector("#" + table + " tr[data-feature='" + feature + "']")).stream().findFirst().orElse(null));
    }

    @Test
    void thePageShowsDriftSkewChartsAndAMissingBaselineAsTheMonitorJudgedThem() throws Exception {
        JsonNode status = get("/v1/monitoring/deployments/credit");
        JsonNode latest = status.get("groups").get(0).get("latest_window");

        browser.get(base() + "/console/#/monitoring/credit");
        WebElement x1 = row("features-credit-v1-main", "x1");
        WebElement x2 = row("features-credit-v1-main", "x2");
        assertThat(x1.getAttribute("data-drifted")).isEqualTo("true");
        assertThat(x1.getText()).contains("drifted").contains("wasserstein");
        assertThat(x2.getAttribute("data-drifted")).isEqualTo("false");
        assertThat(x2.getText()).contains("stable");
        for (JsonNode f : latest.get("features")) {
            WebElement r = row("features-credit-v1-main", f.get("feature").asText());
            double shown = Double.parseDouble(r.findElement(By.cssSelector(".statistic")).getText());
            assertThat(shown).as(f.get("feature").asText()).isCloseTo(f.get("statistic").asDouble(),
                    org.assertj.core.data.Percentage.withPercentage(0.1));
        }
        assertThat(row("predictions-credit-v1-main", "score").getAttribute("data-drifted")).isEqualTo("true");
        assertThat(browser.findElement(By.cssSelector("[data-group='credit-v1-main'] .drifted-share")).getText()).isEqualTo("50.0%");
        assertThat(browser.findElement(By.cssSelector("#alerts tr[data-rule='dataset-drift']")).getAttribute("data-state")).isEqualTo("firing");

        // a chart of x1's statistic over the three closed windows, with its threshold line
        WebElement chart = wait.until(d -> d.findElements(By.cssSelector("[data-group='credit-v1-main'] .drift-chart[data-feature='x1']"))
                .stream().findFirst().orElse(null));
        assertThat(chart.getAttribute("data-points")).isEqualTo("3");
        assertThat(chart.findElements(By.cssSelector("path[data-series='wasserstein']"))).hasSize(1);
        assertThat(chart.findElements(By.cssSelector("path[data-series='threshold']"))).hasSize(1);
        JsonNode history = get("/console/api/monitoring/history?deployment=credit").get("groups").get(0).get("windows");
        assertThat(history).hasSize(3);
        assertThat(history.get(2).get("end").asText()).isEqualTo(latest.get("end").asText());
        assertThat(history.get(0).get("features").get(0).get("drifted").asBoolean()).isFalse();
        Browser.screenshot(browser, "monitoring");

        // churn: a float served for the integer x1 is a type mismatch at once
        browser.get(base() + "/console/#/monitoring/churn");
        WebElement skew = wait.until(d -> d.findElements(By.cssSelector("[data-group='churn-v1-main'] .skew li[data-feature='x1']"))
                .stream().findFirst().orElse(null));
        assertThat(skew.getAttribute("data-kind")).isEqualTo("type_mismatch");
        assertThat(skew.getText()).contains("type mismatch").contains("x1");
        assertThat(browser.findElement(By.cssSelector("#alerts tr[data-rule='skew-type-mismatch']")).getAttribute("data-state")).isEqualTo("firing");

        // fraud has no baseline: the page says so instead of judging
        browser.get(base() + "/console/#/monitoring/fraud");
        WebElement none = wait.until(d -> d.findElements(By.cssSelector("[data-group='fraud-v1-main'] .no-baseline")).stream().findFirst().orElse(null));
        assertThat(none.getText()).contains("has no baseline").contains("ferry monitor profile");
    }

    @Test
    void theHistoryRefusesAMissingOrUnknownDeploymentNamingTheField() throws Exception {
        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(base() + "/console/api/monitoring/history")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("'deployment'");
        HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create(base() + "/console/api/monitoring/history?deployment=nope"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("field 'deployment'").contains("nope").contains("credit");
    }

    @Test
    void onAServerWithoutMonitoringThePageSaysItIsOff(@TempDir Path dir) throws Exception {
        try (ConsoleServer plain = new ConsoleServer(dir, List.of(new Console()))) {
            assertThat(plain.get("/console/api/monitoring/history?deployment=credit").json().get("monitoring").asBoolean()).isFalse();
            browser.get(plain.base() + "/console/#/monitoring/credit");
            WebElement off = wait.until(d -> d.findElements(By.id("monitoring-off")).stream().findFirst().orElse(null));
            assertThat(off.getText()).contains("Monitoring is off").contains("monitoring.enabled");
        }
    }

    @Test
    void thePageStaysUsableOnANarrowScreen() {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(420, 900));
        try {
            browser.get(base() + "/console/#/monitoring/credit");
            wait.until(d -> d.findElements(By.cssSelector("[data-group='credit-v1-main'] .drift-chart")).stream().findFirst().orElse(null));
            Number width = (Number) browser.executeScript("return document.documentElement.scrollWidth");
            Number viewport = (Number) browser.executeScript("return window.innerWidth");
            assertThat(width.intValue()).isLessThanOrEqualTo(viewport.intValue());
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        }
    }
}
