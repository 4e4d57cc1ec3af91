package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.monitoring.watch.BaselineSource;
import dev.ferry.monitoring.watch.DeploymentMonitor;
import dev.ferry.serving.InMemoryFeatureFetcher;
import dev.ferry.serving.testkit.InMemoryModelRegistry;
import dev.ferry.serving.testkit.Models;
import dev.ferry.testing.MutableClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live monitoring over real HTTP: a served deployment whose traffic shifts raises a drift alert
 * when its window closes (in {@code /metrics}, at a webhook and in the monitoring API), a feature
 * served with another type than its baseline raises a skew alert at once, and a failing or
 * missing baseline never touches the answers. Windows are closed by moving the server's clock.
 */
class MonitoringApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:05Z"));
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    InMemoryModelRegistry registry;
    HttpServer webhook;
    FerryServer server;

    @BeforeEach
    void setUp() throws IOException {
        registry = new InMemoryModelRegistry(dir.resolve("registry"), clock);
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", ex -> {
            hooks.add(JSON.readTree(ex.getRequestBody()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        webhook.stop(0);
    }

    private void start(BaselineSource baselines, Map<String, Map<String, Object>> deployments) throws InterruptedException {
        start(baselines, deployments, c -> { });
    }

    private void start(BaselineSource baselines, Map<String, Map<String, Object>> deployments,
                       java.util.function.Consumer<ServerConfig.Builder> adjust) throws InterruptedException {
        ServerConfig.Builder c = ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dir.resolve("data")).maxBatch(1000)
                .budget(Duration.ofSeconds(30))
                .set("monitoring.enabled", "true")
                .set("monitoring.window", "1m")
                .set("monitoring.webhook-url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
        deployments.forEach(c::deployment);
        adjust.accept(c);
        FerryServer.Builder b = FerryServer.builder().config(c.build()).registry(registry)
                .featureFetcher(new InMemoryFeatureFetcher(clock, Duration.ofHours(1))).clock(clock);
        if (baselines != null) {
            b.baselines(baselines);
        }
        server = b.build().start();
        assertThat(server.awaitStartup()).isEmpty();
    }

    /** Training-like data: x1 ~ N(0, 1), x2 ~ N(5, 2), with the model's score as the prediction column. */
    private static void saveBaseline(Path dataDir, String model) {
        ProfileAccumulator acc = ProfileAccumulator.inferring();
        Random rnd = new Random(7);
        for (int i = 0; i < 5000; i++) {
            double x1 = rnd.nextGaussian();
            double x2 = 5 + 2 * rnd.nextGaussian();
            acc.add(Map.of("x1", x1, "x2", x2, "score", 2 + 0.5 * x1 - x2));
        }
        BaselineStore.in(dataDir).save(model, 1, acc.snapshot(), false);
    }

    /** Sends 1000 predictions in two batches, x1 drawn through {@code x1}; every answer must be the model's. */
    private void serveWindow(Random rnd, DoubleUnaryOperator x1) throws Exception {
        serve(rnd, x1);
        settle();
    }

    private void serve(Random rnd, DoubleUnaryOperator x1) throws Exception {
        for (int batch = 0; batch < 2; batch++) {
            List<Map<String, Object>> requests = new ArrayList<>();
            List<Double> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                double a = x1.applyAsDouble(rnd.nextGaussian());
                double b = 5 + 2 * rnd.nextGaussian();
                requests.add(Map.of("features", Map.of("x1", a, "x2", b)));
                expected.add(2 + 0.5 * a - b);
            }
            JsonNode r = post("/v1/predict/credit", Map.of("requests", requests));
            for (int i = 0; i < 500; i++) {
                assertThat(r.get("predictions").get(i).get("output").get("score").asDouble()).isCloseTo(expected.get(i),
                        org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    private void settle() throws InterruptedException {
        server.engine().awaitLogWritten();
        server.monitor().orElseThrow().awaitProcessed();
    }

    @Test
    void shiftedTrafficRaisesADriftAlertWhenItsWindowClosesInMetricsAtTheWebhookAndInTheApi() throws Exception {
        Models.linear(registry, dir, "credit", 0.5, -1, 2, "normal");
        saveBaseline(dir.resolve("data"), "credit");
        start(null, Map.of("credit", Map.of("model", "credit", "version", "1")));
        DeploymentMonitor monitor = server.monitor().orElseThrow();
        Random rnd = new Random(11);

        serveWindow(rnd, z -> z);
        clock.advance(Duration.ofMinutes(1));
        monitor.closeDueWindows();

        assertThat(hooks).isEmpty();
        JsonNode calm = get("/v1/monitoring/deployments/credit").json();
        JsonNode window = calm.get("groups").get(0).get("latest_window");
        assertThat(window.get("records").asLong()).isEqualTo(1000);
        assertThat(window.get("drifted_share").asDouble()).isLessThan(0.5);
        assertThat(window.get("dataset_drifted").asBoolean()).isFalse();
        assertThat(calm.get("alerts")).isEmpty();

        serveWindow(rnd, z -> z + 2);
        assertThat(hooks).as("nothing fires before the window closes").isEmpty();
        JsonNode onDemand = get("/v1/monitoring/deployments/credit?window=current").json().get("groups").get(0).get("open_window");
        assertThat(onDemand.get("records").asLong()).isEqualTo(1000);
        assertThat(onDemand.get("judged").get("dataset_drifted").asBoolean()).as("judged on demand").isTrue();
        assertThat(hooks).as("judging on demand publishes nothing").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        monitor.closeDueWindows();

        assertThat(hooks).hasSize(1);
        JsonNode alert = hooks.getFirst();
        assertThat(alert.get("status").asText()).isEqualTo("firing");
        assertThat(alert.get("rule").asText()).isEqualTo("dataset-drift");
        assertThat(alert.get("labels").get("deployment").asText()).isEqualTo("credit");
        assertThat(alert.get("value").asDouble()).isEqualTo(0.5);

        JsonNode shifted = get("/v1/monitoring/deployments/credit").json();
        JsonNode group = shifted.get("groups").get(0);
        assertThat(group.get("baseline").asText()).isEqualTo("present");
        assertThat(group.get("arm").asText()).isEqualTo("main");
        JsonNode latest = group.get("latest_window");
        assertThat(latest.get("dataset_drifted").asBoolean()).isTrue();
        Map<String, JsonNode> features = new LinkedHashMap<>();
        latest.get("features").forEach(f -> features.put(f.get("feature").asText(), f));
        assertThat(features.get("x1").get("drifted").asBoolean()).isTrue();
        assertThat(features.get("x1").get("method").asText()).isEqualTo("wasserstein");
        assertThat(features.get("x2").get("drifted").asBoolean()).isFalse();
        assertThat(latest.get("predictions").get(0).get("feature").asText()).isEqualTo("score");
        assertThat(latest.get("predictions").get(0).get("drifted").asBoolean()).isTrue();
        assertThat(shifted.get("alerts").get(0).get("rule").asText()).isEqualTo("dataset-drift");

        String metrics = get("/metrics").text();
        assertThat(gauge(metrics, "ferry_monitor_drifted_share", "deployment=\"credit\"")).isEqualTo(0.5);
        assertThat(gauge(metrics, "ferry_monitor_drift", "feature=\"x1\"", "method=\"wasserstein\"", "version=\"1\"")).isGreaterThan(1.0);
        assertThat(gauge(metrics, "ferry_monitor_drift_detected", "feature=\"x2\"")).isEqualTo(0.0);
        assertThat(gauge(metrics, "ferry_monitor_prediction_drift", "output=\"score\"")).isGreaterThan(0.1);
        assertThat(gauge(metrics, "ferry_monitor_alerts_firing", "rule=\"dataset-drift\"")).isEqualTo(1.0);
        assertThat(gauge(metrics, "ferry_monitor_skew_type_mismatch", "deployment=\"credit\"")).isEqualTo(0.0);
    }

    @Test
    void aFeatureServedWithAnotherTypeThanItsBaselineRaisesASkewAlertAtOnce() throws Exception {
        Models.linear(registry, dir, "credit", 0.5, -1, 2, "normal");
        ProfileAccumulator acc = ProfileAccumulator.inferring();
        for (long i = 0; i < 100; i++) {
            acc.add(Map.of("x1", i % 7, "x2", i * 0.5));
        }
        BaselineStore.in(dir.resolve("data")).save("credit", 1, acc.snapshot(), false);
        start(null, Map.of("credit", Map.of("model", "credit", "version", "1")));

        // integers for the int64 x1 and for the float64 x2 (JSON has no 3.0) are no skew
        post("/v1/predict/credit", Map.of("features", Map.of("x1", 3, "x2", 1)));
        settle();
        assertThat(hooks).isEmpty();

        JsonNode answer = post("/v1/predict/credit", Map.of("features", Map.of("x1", 2.5, "x2", 1.5)));
        assertThat(answer.get("output").get("score").asDouble()).isEqualTo(2 + 0.5 * 2.5 - 1.5);
        settle();

        assertThat(hooks).hasSize(1);
        assertThat(hooks.getFirst().get("rule").asText()).isEqualTo("skew-type-mismatch");
        assertThat(hooks.getFirst().get("status").asText()).isEqualTo("firing");
        JsonNode skew = get("/v1/monitoring/deployments/credit").json().get("groups").get(0).get("skew");
        assertThat(skew).hasSize(1);
        assertThat(skew.get(0).get("feature").asText()).isEqualTo("x1");
        assertThat(skew.get(0).get("kind").asText()).isEqualTo("type_mismatch");
        assertThat(skew.get(0).get("trained").asText()).isEqualTo("int64");
        assertThat(skew.get(0).get("served").asText()).isEqualTo("float64");
        assertThat(gauge(get("/metrics").text(), "ferry_monitor_skew_type_mismatch", "deployment=\"credit\"")).isEqualTo(1.0);
    }

    @Test
    void aFailingOrMissingBaselineNeverTouchesAnswersAndIsReported() throws Exception {
        Models.linear(registry, dir, "credit", 0.5, -1, 2, "normal");
        Models.linear(registry, dir, "fresh", 1, 1, 0, "normal");
        BaselineSource failing = (model, version) -> {
            if (model.equals("fresh")) {
                throw new NotFoundException("model 'fresh' version " + version + " has no baseline profile");
            }
            throw new IllegalStateException("baseline disk is gone");
        };
        start(failing, Map.of("credit", Map.of("model", "credit", "version", "1"), "fresh", Map.of("model", "fresh", "version", "1")));

        serveWindow(new Random(3), z -> z);
        for (int i = 0; i < 20; i++) {
            JsonNode r = post("/v1/predict/fresh", Map.of("features", Map.of("x1", i, "x2", 1.5)));
            assertThat(r.get("output").get("score").asDouble()).isEqualTo(i + 1.5);
        }
        settle();
        clock.advance(Duration.ofMinutes(1));
        server.monitor().orElseThrow().closeDueWindows();

        JsonNode credit = get("/v1/monitoring/deployments/credit").json().get("groups").get(0);
        assertThat(credit.get("baseline").asText()).isEqualTo("unknown");
        assertThat(credit.get("baseline_problem").asText()).contains("baseline disk is gone");
        JsonNode fresh = get("/v1/monitoring/deployments/fresh").json().get("groups").get(0);
        assertThat(fresh.get("baseline").asText()).isEqualTo("missing");
        assertThat(fresh.get("baseline_problem").asText()).contains("no baseline");
        assertThat(fresh.get("latest_window").isNull()).isTrue();
        String metrics = get("/metrics").text();
        assertThat(gauge(metrics, "ferry_monitor_baseline_missing", "deployment=\"fresh\"")).isEqualTo(1.0);
        assertThat(gauge(metrics, "ferry_monitor_errors_total")).isGreaterThanOrEqualTo(1.0);
        assertThat(gauge(metrics, "ferry_monitor_dropped_total")).isEqualTo(0.0);
        assertThat(hooks).isEmpty();

        assertThat(get("/v1/monitoring/deployments/nowhere").status()).isEqualTo(404);
        Reply bad = get("/v1/monitoring/deployments/credit?window=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("window").contains("yesterday");
    }

    @Test
    void aMonitorStuckOnItsBaselineStoreDropsAndCountsWhileEveryRequestIsAnswered() throws Exception {
        Models.linear(registry, dir, "credit", 0.5, -1, 2, "normal");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        BaselineSource stuck = (model, version) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new NotFoundException("model '" + model + "' has no baseline");
        };
        try {
            start(stuck, Map.of("credit", Map.of("model", "credit", "version", "1")), c -> c.set("monitoring.queue", "10"));
            serve(new Random(9), z -> z);
            server.engine().awaitLogWritten();
            // the stuck thread holds at most its first record and one drained queue (10), the queue 10 more
            assertThat(gauge(get("/metrics").text(), "ferry_monitor_dropped_total")).isGreaterThanOrEqualTo(1000 - 21);
        } finally {
            release.countDown();
        }
    }

    @Test
    void rulesFromAFileReplaceTheDefaultsAndABadFileIsRefusedByName() throws Exception {
        Models.linear(registry, dir, "credit", 0.5, -1, 2, "normal");
        saveBaseline(dir.resolve("data"), "credit");
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad-rules.yaml"), "rules:\n  - name: x\n    score: drift\n    when: bigger\n");
        assertThatThrownBy(() -> start(null, Map.of(), c -> c.set("monitoring.rules", bad.toString())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bad-rules.yaml").hasMessageContaining("'when' was 'bigger'");

        Path rules = java.nio.file.Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: x1-drift
                    score: drift.detected{deployment=credit,feature=x1}
                    when: ">"
                    threshold: 0
                    severity: critical
                """);
        start(null, Map.of("credit", Map.of("model", "credit", "version", "1")), c -> c.set("monitoring.rules", rules.toString()));
        serveWindow(new Random(5), z -> z + 2);
        clock.advance(Duration.ofMinutes(1));
        server.monitor().orElseThrow().closeDueWindows();

        assertThat(hooks).extracting(h -> h.get("rule").asText()).containsExactly("x1-drift");
        assertThat(hooks.getFirst().get("severity").asText()).isEqualTo("critical");
    }

    @Test
    void monitoringSettingsAreCheckedByName() {
        assertThatThrownBy(() -> ServerConfig.builder().set("monitoring.enabled", "true").set("monitoring.window", "soon").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("monitoring.window was 'soon'");
        assertThatThrownBy(() -> ServerConfig.builder().set("monitoring.webhook-url", "ftp://x").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("monitoring.webhook-url was 'ftp://x'");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("FERRY_MONITORING_ENABLED", "maybe")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("monitoring.enabled was 'maybe'");
        ServerConfig on = ServerConfig.fromEnvironment(Map.of("FERRY_MONITORING_ENABLED", "true", "FERRY_MONITORING_WINDOW", "5m",
                "FERRY_SERVING_DATA_DIR", "/srv/ferry"));
        assertThat(on.monitoring().orElseThrow().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(on.monitoring().orElseThrow().dataDir()).isEqualTo(Path.of("/srv/ferry"));
        assertThat(ServerConfig.fromEnvironment(Map.of()).monitoring()).isEmpty();
    }

    /** The value of the one sample of {@code name} whose labels contain every {@code label}. */
    private static double gauge(String metrics, String name, String... labels) {
        List<Double> found = new ArrayList<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                found.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        assertThat(found).as(name + " " + List.of(labels) + " in\n" + metrics).hasSize(1);
        return found.getFirst();
    }

    record Reply(int status, JsonNode json, String text) {
    }

    private Reply get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").contains("json")) {
            json = JSON.readTree(r.body());
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    private JsonNode post(String path, Object body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
