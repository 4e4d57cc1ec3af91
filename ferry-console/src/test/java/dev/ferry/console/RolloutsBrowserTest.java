package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.model.ModelFormat;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.rollout.RolloutExtension;
import dev.ferry.rollout.RolloutState;
import dev.ferry.rollout.Stage;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.InMemoryFeatureFetcher;
import dev.ferry.serving.PredictRequest;
import dev.ferry.serving.testkit.InMemoryModelRegistry;
import dev.ferry.serving.testkit.Models;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Rollouts page in a real browser against a real server running the rollout extension: one
 * rollout held at its first canary step with gate verdicts on real traffic, one rolled back by its
 * error-rate gate. The page shows what the server holds; pause clicked with the admin token pauses
 * the rollout on the server, abort clicked without it is refused with the server's error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.Tag("browser")
class RolloutsBrowserTest {

    static final String TOKEN = ConsoleServer.TOKEN;

    InMemoryModelRegistry registry;
    RolloutExtension rollouts;
    FerryServer server;
    ChromeDriver browser;
    WebDriverWait wait;
    String held;
    String rolledBack;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final Random random = new Random(7);

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        browser = Browser.start(dir.resolve("chromium-profile"));
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Clock clock = Clock.systemUTC();
        registry = new InMemoryModelRegistry(dir.resolve("registry"), clock);
        register(dir, "credit", "");
        register(dir, "credit", "");
        register(dir, "churn", "");
        // fails whenever x1 > 0.8: about a fifth of the requests it gets
        register(dir, "churn", "behavior fail_above\nfail_above 0.8\n");
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).adminToken(TOKEN).dataDir(dir.resolve("data"))
                .budget(Duration.ofSeconds(30))
                .deployment("credit", Map.of("arms", List.of(Map.of("name", "main", "model", "credit", "version", "1", "weight", 1))))
                .deployment("churn", Map.of("arms", List.of(Map.of("name", "main", "model", "churn", "version", "1", "weight", 1))))
                .build();
        // no check loop: the test ticks the rollouts itself
        rollouts = new RolloutExtension(new RolloutExtension.Settings(Optional.empty(), null, null, Duration.ZERO,
                Duration.ofSeconds(30), "console-test"));
        server = FerryServer.builder().config(config).registry(registry).featureFetcher(new InMemoryFeatureFetcher(clock, Duration.ofHours(1)))
                .clock(clock).extensions(List.of(new Console(Duration.ofMillis(500), Duration.ofMinutes(15)), rollouts)).build().start();
        assertThat(server.awaitStartup()).isEmpty();

        // an hour's minimum per stage: the stages move only when promoted by hand, so the page sees a stable state
        String plan = ", \"canary_steps\": [10, 50, 100], \"min_duration_seconds\": 3600, \"min_samples\": 100,"
                + " \"gates\": {\"latency_tolerance\": 4, \"latency_slack_ms\": 1000, \"max_divergence\": 0.3}}";
        held = post("/v1/admin/rollouts", "{\"deployment\": \"credit\", \"candidate\": \"credit@2\"" + plan, TOKEN).json().get("id").asText();
        rolledBack = post("/v1/admin/rollouts", "{\"deployment\": \"churn\", \"candidate\": \"churn@2\"" + plan, TOKEN).json().get("id").asText();
        // a stage counts the traffic from the first tick that sees it
        rollouts.engine().tick();
        rollouts.engine().tick();
        traffic("credit", 300);
        rollouts.engine().tick();
        assertThat(status(held).label()).isEqualTo("SHADOW");
        assertThat(post("/v1/admin/rollouts/" + held + "/promote", null, TOKEN).status()).isEqualTo(200);
        assertThat(post("/v1/admin/rollouts/" + rolledBack + "/promote", null, TOKEN).status()).isEqualTo(200);
        rollouts.engine().tick();
        traffic("credit", 2_000);
        traffic("churn", 3_000);
        rollouts.engine().tick();
        assertThat(status(held).label()).isEqualTo("CANARY 10%");
        assertThat(status(rolledBack).stage()).isEqualTo(Stage.ROLLED_BACK);
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

    @BeforeEach
    void forgetTheToken() {
        browser.get(base() + "/console/");
        browser.executeScript("sessionStorage.clear()");
    }

    private void register(Path dir, String name, String behavior) {
        Path file = Models.write(dir.resolve("models"), name, "layout packed\nfeatures x1:float64 x2:float64\nweights 0.5 0.25\nbias 0\n"
                + behavior);
        Provenance p = new Provenance(null, List.of(), Map.of(), null, Map.of("auc", 0.8), null, null);
        List<GoldenExample> golden = List.of(new GoldenExample(Map.of("x1", 0.1, "x2", 0.2), Map.of("score", 0.1), 1e-9));
        registry.register(new RegisterRequest(name, file, ModelFormat.ONNX, Optional.empty(), p, golden, "test", "linear"));
    }

    /** Requests with features uniform in [0, 1), straight into the serving engine; failed ones are the candidate's errors. */
    private void traffic(String deployment, int n) {
        for (int i = 0; i < n; i++) {
            try {
                server.engine().predict(deployment, new PredictRequest(Optional.of("r" + random.nextLong()), Map.of(),
                        Map.of("x1", random.nextDouble(), "x2", random.nextDouble())));
            } catch (RuntimeException e) {
                // the failing candidate's answers: counted by the rollout as errors
            }
        }
    }

    private RolloutState status(String id) {
        return rollouts.engine().status(id);
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private ConsoleServer.Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new ConsoleServer.Reply(r.statusCode(), ConsoleServer.JSON.readTree(r.body()), r.body());
    }

    private ConsoleServer.Reply post(String path, String body, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private void open() {
        browser.get(base() + "/console/#/rollouts");
        browser.navigate().refresh();
    }

    private WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private WebElement card(String id) {
        return visible(By.cssSelector("section.rollout[data-rollout='" + id + "']"));
    }

    private void enterToken(String token) {
        WebElement input = browser.findElement(By.id("token"));
        input.clear();
        input.sendKeys(token);
        browser.findElement(By.id("token-save")).click();
        wait.until(ExpectedConditions.textToBe(By.id("token-state"), "token set for this tab"));
    }

    @Test
    @Order(1)
    void theOpenViewNeedsNoTokenAndNamesNobody() throws Exception {
        ConsoleServer.Reply r = send(HttpRequest.newBuilder(URI.create(base() + "/v1/rollouts")).GET());
        assertThat(r.status()).isEqualTo(200);
        JsonNode rollouts = r.json().get("rollouts");
        assertThat(rollouts).hasSize(2);
        for (JsonNode one : rollouts) {
            assertThat(one.has("baseline")).isFalse();
            for (JsonNode t : one.get("history")) {
                assertThat(t.has("actor")).isFalse();
                assertThat(t.has("automatic")).isTrue();
            }
        }
        // the admin view still names who did it
        ConsoleServer.Reply admin = send(HttpRequest.newBuilder(URI.create(base() + "/v1/admin/rollouts/" + held))
                .header("Authorization", "Bearer " + TOKEN).GET());
        assertThat(admin.json().get("history").get(0).get("actor").asText()).isNotBlank();
    }

    @Test
    @Order(2)
    void thePageShowsTheStageTheGateFiguresAndTheRollback() throws Exception {
        open();
        WebElement credit = card(held);
        RolloutState s = status(held);
        assertThat(credit.findElement(By.cssSelector(".stage-label")).getText()).isEqualTo("CANARY 10%");
        assertThat(credit.findElement(By.cssSelector(".share")).getText()).isEqualTo("10% live");
        assertThat(credit.findElement(By.cssSelector(".candidate")).getText()).isEqualTo("credit@2");
        assertThat(credit.findElement(By.cssSelector(".champion")).getText()).isEqualTo("credit@1");
        assertThat(credit.findElement(By.cssSelector(".time-in-stage")).getText()).matches("\\d+ s|\\d+ min \\d\\d s");
        // every gate the server judged, with its verdict and the sample counts it judged on
        assertThat(s.gates()).isNotEmpty();
        for (var g : s.gates()) {
            WebElement row = credit.findElement(By.cssSelector("tr[data-gate='" + g.gate() + "']"));
            assertThat(row.findElement(By.cssSelector(".verdict")).getText())
                    .isEqualTo(Map.of("PASS", "pass", "FAIL", "fail", "WAIT", "waiting").get(g.verdict().name()));
            if (g.figures().containsKey("candidate_requests")) {
                assertThat(row.getText()).contains(Math.round(g.figures().get("candidate_requests")) + " / "
                        + Math.round(g.figures().get("champion_requests")));
            }
        }
        var errors = s.gates().stream().filter(g -> g.gate().equals("error_rate")).findFirst().orElseThrow();
        assertThat(errors.figures()).containsKey("p_value");
        assertThat(credit.findElement(By.cssSelector("tr[data-gate='error_rate']")).getText()).contains("p = ", "fails below 0.05");
        assertThat(credit.findElement(By.cssSelector("tr[data-gate='latency_p99']")).getText()).contains("p99", "limit");
        assertThat(credit.findElement(By.id("history-" + held)).getText()).contains("SHADOW", "CANARY 10%", "by hand", "gates");
        assertThat(credit.findElements(By.cssSelector("svg.chart path[data-series='candidate, live %']"))).hasSize(1);

        WebElement churn = card(rolledBack);
        var failed = status(rolledBack).failure().orElseThrow();
        assertThat(churn.findElement(By.cssSelector(".stage-label")).getText()).isEqualTo("ROLLED_BACK");
        String box = churn.findElement(By.id("failure-" + rolledBack)).getText();
        assertThat(box).contains("gate " + failed.gate() + " failed", failed.message());
        assertThat(churn.findElements(By.cssSelector("button"))).isEmpty();
        Browser.screenshot(browser, "rollouts");
    }

    @Test
    @Order(3)
    void abortWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
        open();
        card(held).findElement(By.id("abort-" + held)).click();
        assertThat(visible(By.id("notice")).getText()).contains("401", "Bearer");
        assertThat(status(held).stage()).isEqualTo(Stage.CANARY);

        enterToken("not-the-token");
        visible(By.id("abort-" + held)).click();
        assertThat(visible(By.id("notice")).getText()).contains("403");
        assertThat(status(held).stage()).isEqualTo(Stage.CANARY);
    }

    @Test
    @Order(4)
    void pauseWithTheTokenPausesTheRolloutOnTheServer() throws Exception {
        open();
        enterToken(TOKEN);
        visible(By.id("pause-" + held)).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Paused rollout"));
        assertThat(status(held).paused()).isTrue();
        assertThat(status(held).label()).isEqualTo("CANARY 10%");
        WebElement credit = card(held);
        assertThat(credit.findElement(By.cssSelector(".pill.paused")).getText()).isEqualTo("paused");
        assertThat(credit.findElement(By.id("history-" + held)).getText()).contains("CANARY 10% (paused)");
        assertThat(credit.findElements(By.id("resume-" + held))).hasSize(1);
    }

    @Test
    @Order(5)
    void thePageStaysUsableOnANarrowScreen() {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(420, 900));
        try {
            open();
            assertThat(card(rolledBack).getText()).contains("ROLLED_BACK");
            Number width = (Number) browser.executeScript("return document.documentElement.scrollWidth");
            Number viewport = (Number) browser.executeScript("return window.innerWidth");
            assertThat(width.intValue()).isLessThanOrEqualTo(viewport.intValue());
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        }
    }
}
