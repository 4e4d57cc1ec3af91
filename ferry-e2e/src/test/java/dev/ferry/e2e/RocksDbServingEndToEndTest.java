package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.predictionlog.ParquetPredictionLog;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.server.FerryServer;
import dev.ferry.types.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real XGBoost GBDT (100 trees, 20 features from two RocksDB views and the request) served by a
 * real server over HTTP; every answer is compared with XGBoost4J's own prediction on the same
 * feature row. The hot swap runs last: it moves the alias the other tests rely on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RocksDbServingEndToEndTest {

    @TempDir
    static Path dir;

    CtrServing.Models models;
    CtrScenario scenario;
    RocksDbOnlineStore store;
    ModelRegistry registry;
    ParquetPredictionLog parquet;
    FerryServer server;
    Client client;
    /** request id to the feature row the model should have seen */
    final Map<String, Row> sent = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        models = Fixture.models();
        scenario = models.scenario();
        registry = FileModelRegistry.open(Fixture.registryCopy(dir));
        store = RocksDbOnlineStore.open(dir.resolve("online"), Clock.systemUTC());
        scenario.materialize(store);
        parquet = new ParquetPredictionLog(dir.resolve("parquet"), 10_000, Duration.ofHours(1), 65_536, Clock.systemUTC(),
                Thread.ofPlatform().daemon().factory());
        server = CtrServing.start(dir, registry, store, Duration.ofSeconds(5), parquet);
        client = new Client(server.port());
    }

    @AfterAll
    void stop() {
        server.close();
        store.close();
        registry.close();
    }

    private static double clickProbability(JsonNode answer) {
        return answer.path("output").path("probabilities").path(1).asDouble();
    }

    private float expected(CtrScenario.Trained model, long user, long item, long n) {
        return CtrScenario.xgboostScores(model.trained(), List.of(scenario.row(user, item, scenario.requestFeatures(n))))[0];
    }

    @Test
    @Order(1)
    void singlePredictionsEqualXGBoostsOwnPredictionOnTheSameFeatureRow() {
        for (int n = 0; n < 40; n++) {
            long user = 1 + (n * 37L) % CtrScenario.USERS;
            long item = 1 + (n * 11L) % CtrScenario.ITEMS;
            String id = "single-" + n;
            Client.Reply r = client.post("/v1/predict/" + CtrServing.MAIN, Client.predictBody(scenario, id, user, item, n));
            assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
            assertThat(r.json().path("model").asText()).isEqualTo("ctr");
            assertThat(r.json().path("version").asInt()).isEqualTo(1);
            assertThat(r.json().path("degraded").asBoolean()).isFalse();
            assertThat(r.json().path("source").asText()).isEqualTo("model");
            assertThat(clickProbability(r.json())).isCloseTo(expected(models.v1(), user, item, n), within(1e-6));
            sent.put(id, scenario.row(user, item, scenario.requestFeatures(n)));
        }
    }

    @Test
    @Order(2)
    void aBatchIsAnsweredInOrderWithEachRowsOwnPrediction() {
        List<Map<String, Object>> requests = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int n = 100; n < 164; n++) {
            long user = 1 + (n * 13L) % CtrScenario.USERS;
            long item = 1 + (n * 7L) % CtrScenario.ITEMS;
            requests.add(Client.predictBody(scenario, "batch-" + n, user, item, n));
            rows.add(scenario.row(user, item, scenario.requestFeatures(n)));
            sent.put("batch-" + n, rows.getLast());
        }
        float[] expected = CtrScenario.xgboostScores(models.v1().trained(), rows);
        Client.Reply r = client.post("/v1/predict/" + CtrServing.MAIN, Map.of("requests", requests));
        assertThat(r.status()).isEqualTo(200);
        JsonNode predictions = r.json().path("predictions");
        assertThat(predictions.size()).isEqualTo(64);
        for (int i = 0; i < 64; i++) {
            assertThat(predictions.get(i).path("request_id").asText()).isEqualTo("batch-" + (100 + i));
            assertThat(clickProbability(predictions.get(i))).isCloseTo(expected[i], within(1e-6));
        }
    }

    @Test
    @Order(3)
    void rankingAHundredCandidatesScoresEachAsXGBoostDoesAndSortsThem() {
        long user = 42;
        Map<String, Object> features = scenario.requestFeatures(9_999);
        List<String> candidates = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (long item = 101; item <= 200; item++) {
            candidates.add(Long.toString(item));
            rows.add(scenario.row(user, item, features));
        }
        float[] scores = CtrScenario.xgboostScores(models.v1().trained(), rows);
        Client.Reply r = client.post("/v1/rank/" + CtrServing.MAIN, Map.of("entity", Map.of("user_id", user),
                "candidate_key", "item_id", "candidates", candidates, "k", 100, "features", features));
        assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
        assertThat(r.json().path("degraded").asBoolean()).isFalse();
        JsonNode items = r.json().path("items");
        assertThat(items.size()).isEqualTo(100);
        double previous = Double.MAX_VALUE;
        for (JsonNode it : items) {
            int k = Integer.parseInt(it.path("id").asText()) - 101;
            assertThat(it.path("score").asDouble()).isCloseTo(scores[k], within(1e-6));
            assertThat(it.path("score").asDouble()).isLessThanOrEqualTo(previous);
            previous = it.path("score").asDouble();
        }
    }

    @Test
    @Order(4)
    void anABTestKeepsEachEntityOnOneArmAndEachArmAnswersWithItsOwnModel() {
        Map<String, Integer> perArm = new HashMap<>();
        for (int e = 0; e < 100; e++) {
            long user = 1 + e;
            long item = 1 + (e * 3L) % CtrScenario.ITEMS;
            String first = null;
            for (int repeat = 0; repeat < 3; repeat++) {
                long n = 20_000 + e * 10L + repeat;
                Client.Reply r = client.post("/v1/predict/" + CtrServing.AB, Client.predictBody(scenario, "ab-" + n, user, item, n));
                assertThat(r.status()).isEqualTo(200);
                String arm = r.json().path("arm").asText();
                if (first == null) {
                    first = arm;
                    perArm.merge(arm, 1, Integer::sum);
                }
                assertThat(arm).as("entity %d/%d", user, item).isEqualTo(first);
                CtrScenario.Trained model = arm.equals("a") ? models.v1() : models.v2();
                assertThat(r.json().path("version").asInt()).isEqualTo(arm.equals("a") ? 1 : 2);
                assertThat(clickProbability(r.json())).isCloseTo(expected(model, user, item, n), within(1e-6));
            }
        }
        assertThat(perArm.keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(perArm.get("a")).isBetween(25, 75);
    }

    @Test
    @Order(5)
    void theShadowModelRunsOnEveryRequestButNeverChangesTheAnswerAndEverythingIsLoggedWithItsFeatures() throws Exception {
        server.engine().awaitLogWritten();
        Path jsonl = dir.resolve("data").resolve("predictions");
        Map<String, JsonNode> served = new HashMap<>();
        Map<String, JsonNode> shadows = new HashMap<>();
        try (var files = Files.list(jsonl)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode rec = Client.JSON.readTree(line);
                    (rec.path("shadow").asBoolean() ? shadows : served).put(rec.path("request_id").asText(), rec);
                }
            }
        }
        assertThat(sent).hasSize(104);
        for (var e : sent.entrySet()) {
            JsonNode rec = served.get(e.getKey());
            assertThat(rec).as("logged prediction %s", e.getKey()).isNotNull();
            assertThat(rec.path("format").asInt()).isEqualTo(1);
            assertThat(rec.path("version").asInt()).isEqualTo(1);
            for (var f : e.getValue().values().entrySet()) {
                assertThat(rec.path("features").path(f.getKey()).asDouble()).as(e.getKey() + " " + f.getKey())
                        .isEqualTo(((Number) f.getValue()).doubleValue());
            }
            JsonNode shadow = shadows.get(e.getKey());
            assertThat(shadow).as("shadow of %s", e.getKey()).isNotNull();
            assertThat(shadow.path("model").asText()).isEqualTo("ctr");
            assertThat(shadow.path("version").asInt()).isEqualTo(2);
            float v2 = CtrScenario.xgboostScores(models.v2().trained(), List.of(e.getValue()))[0];
            assertThat(shadow.path("output").path("probabilities").path(1).asDouble()).isCloseTo(v2, within(1e-6));
            assertThat(rec.path("output").path("probabilities").path(1).asDouble()).isNotCloseTo(v2, within(1e-9));
        }
        // the same records, read back from the Parquet log with DuckDB as the offline store would
        assertThat(parquet.dropped()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (var e : sent.entrySet()) {
                ResultSet rs = s.executeQuery("SELECT version, features FROM read_parquet('" + dir.resolve("parquet")
                        + "/predictions-*.parquet') WHERE NOT shadow AND request_id = '" + e.getKey() + "'");
                assertThat(rs.next()).as("Parquet record of %s", e.getKey()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                JsonNode features = Client.JSON.readTree(rs.getString(2));
                for (var f : e.getValue().values().entrySet()) {
                    assertThat(features.path(f.getKey()).asDouble()).isEqualTo(((Number) f.getValue()).doubleValue());
                }
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    @Order(6)
    void movingTheAliasHotSwapsUnderConcurrentHttpLoadWithoutAFailedRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService load = Executors.newFixedThreadPool(6);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            workers.add(load.submit(() -> {
                Client own = new Client(server.port());
                for (long n = 0; running.get() || n < 20; n++) {
                    long user = 1 + (thread * 131L + n) % CtrScenario.USERS;
                    long item = 1 + (n * 17L) % CtrScenario.ITEMS;
                    Client.Reply r = own.post("/v1/predict/" + CtrServing.PLAIN,
                            Client.predictBody(scenario, "swap-" + thread + "-" + n, user, item, n));
                    if (r.status() != 200 || r.json().path("degraded").asBoolean()) {
                        failures.add(r.status() + " " + r.json());
                    } else {
                        ok.incrementAndGet();
                    }
                }
            }));
        }
        for (int swap = 0; swap < 10; swap++) {
            int version = swap % 2 == 0 ? 2 : 1;
            Client.Reply r = client.post("/v1/admin/models/ctr/aliases/champion",
                    Map.of("version", version, "reason", "swap " + swap), CtrServing.ADMIN_TOKEN);
            assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
        }
        running.set(false);
        for (Future<?> w : workers) {
            w.get();
        }
        load.shutdown();
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThanOrEqualTo(120);
        // the last move went to v1; one more to v2, then answers come from v2
        assertThat(client.post("/v1/admin/models/ctr/aliases/champion", Map.of("version", 2), CtrServing.ADMIN_TOKEN).status())
                .isEqualTo(200);
        Client.Reply r = client.post("/v1/predict/" + CtrServing.PLAIN, Client.predictBody(scenario, "after-swap", 5, 6, 77));
        assertThat(r.json().path("version").asInt()).isEqualTo(2);
        assertThat(clickProbability(r.json())).isCloseTo(expected(models.v2(), 5, 6, 77), within(1e-6));
    }
}
