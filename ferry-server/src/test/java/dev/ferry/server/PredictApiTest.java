package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.serving.testkit.LinearRuntime;
import dev.ferry.serving.testkit.Models;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictApiTest {

    @TempDir
    Path dir;
    ServerHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ServerHarness(dir);
        Models.linear(h.registry, dir, "credit", 0.5, -1, 2, "normal");
        Models.linear(h.registry, dir, "credit", 1, 0, 0, "normal");
        Models.linear(h.registry, dir, "broken", 1, 1, 1, "throw");
        Models.linear(h.registry, dir, "slow", 1, 1, 1, "hang");
        h.start(c -> c
                .deployment("credit", Map.of("model", "credit", "version", "1", "entity_keys", List.of("user_id")))
                .deployment("ab", Map.of("arms", List.of(Map.of("name", "a", "model", "credit", "version", "1", "weight", 50),
                        Map.of("name", "b", "model", "credit", "version", "2", "weight", 50)), "entity_keys", List.of("user_id")))
                .deployment("canary", Map.of("arms", List.of(Map.of("name", "stable", "model", "credit", "version", "1", "weight", 80),
                        Map.of("name", "canary", "model", "credit", "version", "2", "weight", 20)), "entity_keys", List.of("user_id")))
                .deployment("shadow-throws", Map.of("model", "credit", "version", "1",
                        "shadow", Map.of("model", "broken", "version", "1", "share", 1.0)))
                .deployment("shadow-hangs", Map.of("model", "credit", "version", "1",
                        "shadow", Map.of("model", "slow", "version", "1", "share", 1.0)))
                .deployment("ranker", Map.of("model", "credit", "version", "2", "entity_keys", List.of("user_id"))));
        h.features.put(Map.of("user_id", "u1"), Map.of("x1", 4.0, "x2", 1.0));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aSinglePredictionUsesStoredAndRequestFeatures() {
        ServerHarness.Reply r = h.post("/v1/predict/credit", "{\"request_id\": \"r1\", \"entity\": {\"user_id\": \"u1\"}, \"features\": {\"x2\": 3}}");

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("output").get("score").asDouble()).isEqualTo(2 + 0.5 * 4 - 3);
        assertThat(r.json().get("request_id").asText()).isEqualTo("r1");
        assertThat(r.json().get("model").asText()).isEqualTo("credit");
        assertThat(r.json().get("version").asInt()).isEqualTo(1);
        assertThat(r.json().get("arm").asText()).isEqualTo("main");
        assertThat(r.json().get("degraded").asBoolean()).isFalse();
        assertThat(r.json().get("source").asText()).isEqualTo("model");
    }

    @Test
    void aBatchAnswersEveryRequestInOrderAndItsSizeIsLimited() {
        StringBuilder b = new StringBuilder("{\"requests\": [");
        for (int i = 0; i < 10; i++) {
            b.append(i == 0 ? "" : ",").append("{\"entity\": {\"user_id\": \"n").append(i).append("\"}, \"features\": {\"x1\": ")
                    .append(i).append(", \"x2\": 0}}");
        }
        ServerHarness.Reply r = h.post("/v1/predict/credit", b.append("]}").toString());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(r.json().get("predictions").get(i).get("output").get("score").asDouble()).isEqualTo(2 + 0.5 * i);
        }
        StringBuilder big = new StringBuilder("{\"requests\": [");
        for (int i = 0; i < 101; i++) {
            big.append(i == 0 ? "" : ",").append("{\"entity\": {\"user_id\": \"x\"}}");
        }
        ServerHarness.Reply tooMany = h.post("/v1/predict/credit", big.append("]}").toString());
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.json().get("error").asText()).contains("requests");
    }

    @Test
    void aMissingEntityKeyIsA400NamingTheField() {
        ServerHarness.Reply r = h.post("/v1/predict/credit", "{\"entity\": {}, \"features\": {\"x1\": 1}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("entity.user_id");
    }

    @Test
    void anABTestIsStickyPerEntityOverHttp() {
        Map<String, String> arms = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String arm = h.post("/v1/predict/ab", "{\"entity\": {\"user_id\": \"user-" + i + "\"}, \"features\": {\"x1\": 1, \"x2\": 1}}")
                    .json().get("arm").asText();
            arms.put("user-" + i, arm);
        }
        for (int i = 0; i < 200; i++) {
            JsonNode again = h.post("/v1/predict/ab", "{\"entity\": {\"user_id\": \"user-" + i + "\"}, \"features\": {\"x1\": 1, \"x2\": 1}}").json();
            assertThat(again.get("arm").asText()).isEqualTo(arms.get("user-" + i));
            assertThat(again.get("version").asInt()).isEqualTo(again.get("arm").asText().equals("a") ? 1 : 2);
        }
        assertThat(arms.values()).contains("a", "b");
    }

    @Test
    void aCanaryTakesItsShareWithinABinomialBound() {
        int n = 2000;
        int canary = 0;
        for (int i = 0; i < n; i++) {
            canary += h.post("/v1/predict/canary", "{\"entity\": {\"user_id\": \"c-" + i + "\"}, \"features\": {\"x1\": 1, \"x2\": 1}}")
                    .json().get("arm").asText().equals("canary") ? 1 : 0;
        }
        double sd = Math.sqrt(n * 0.2 * 0.8);
        assertThat((double) canary).isBetween(n * 0.2 - 5 * sd, n * 0.2 + 5 * sd);
    }

    @Test
    void aShadowThatThrowsOrHangsChangesNothingForTheCaller() {
        LinearRuntime.HANG_ARMED = true;
        for (String d : List.of("shadow-throws", "shadow-hangs")) {
            for (int i = 0; i < 100; i++) {
                ServerHarness.Reply r = h.post("/v1/predict/" + d, "{\"features\": {\"x1\": " + i + ", \"x2\": 0}}");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("output").get("score").asDouble()).isEqualTo(2 + 0.5 * i);
                assertThat(r.json().get("degraded").asBoolean()).isFalse();
                assertThat(r.json().get("model").asText()).isEqualTo("credit");
            }
        }
        String metrics = h.get("/metrics").text();
        assertThat(metrics).contains("ferry_serving_shadow_total{deployment=\"all\",outcome=\"dropped\"}");
    }

    @Test
    void rankingReturnsTheTopCandidatesByScore() {
        double[] q = {0.2, 0.8, 0.5, 0.9};
        for (int i = 0; i < q.length; i++) {
            h.features.put(Map.of("user_id", "u1", "item_id", "item" + i), Map.of("x1", q[i], "x2", 0.0));
        }
        ServerHarness.Reply r = h.post("/v1/rank/ranker",
                "{\"entity\": {\"user_id\": \"u1\"}, \"candidate_key\": \"item_id\", \"candidates\": [\"item0\", \"item1\", \"item2\", \"item3\"], \"k\": 2}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("items").get(0).get("id").asText()).isEqualTo("item3");
        assertThat(r.json().get("items").get(1).get("id").asText()).isEqualTo("item1");
        assertThat(r.json().get("items")).hasSize(2);

        StringBuilder many = new StringBuilder("{\"entity\": {\"user_id\": \"u1\"}, \"candidate_key\": \"item_id\", \"candidates\": [");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append(i);
        }
        assertThat(h.post("/v1/rank/ranker", many.append("]}").toString()).status()).isEqualTo(413);
    }

    @Test
    void prometheusMetricsCountRequestsPerDeploymentArmAndVersion() {
        h.post("/v1/predict/credit", "{\"entity\": {\"user_id\": \"u1\"}}");
        ServerHarness.Reply m = h.get("/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.text()).contains("ferry_serving_requests_total{arm=\"main\",deployment=\"credit\",model=\"credit\",outcome=\"ok\",version=\"1\"}");
        assertThat(m.text()).contains("ferry_serving_latency_seconds_count{arm=\"main\",deployment=\"credit\"");
        assertThat(m.text()).contains("ferry_serving_model_load_seconds_count");
    }
}
