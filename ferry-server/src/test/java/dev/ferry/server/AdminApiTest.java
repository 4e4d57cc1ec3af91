package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.serving.testkit.Models;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiTest {

    @TempDir
    Path dir;
    ServerHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ServerHarness(dir);
        Models.linear(h.registry, dir, "credit", 1, 0, 0, "normal");
        Models.linear(h.registry, dir, "credit", 2, 0, 0, "normal");
        Models.linear(h.registry, dir, "credit", 3, 0, 0, "normal");
        h.registry.setAlias("credit", "champion", 1, "test", "start");
        h.start(c -> c.deployment("credit", Map.of("model", "credit", "version", "champion")));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private int version(String deployment, String user) {
        return h.post("/v1/predict/" + deployment, "{\"entity\": {\"user_id\": \"" + user + "\"}, \"features\": {\"x1\": 1, \"x2\": 0}}")
                .json().get("version").asInt();
    }

    private List<JsonNode> audit() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("data/audit/admin-audit.jsonl"))) {
            out.add(ServerHarness.JSON.readTree(l));
        }
        return out;
    }

    @Test
    void theAdminApiRefusesCallsWithoutAValidToken() throws Exception {
        ServerHarness.Reply none = h.send(HttpRequest.newBuilder(h.uri("/v1/admin/deployments")).GET());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).contains("Bearer");
        ServerHarness.Reply wrong = h.send(HttpRequest.newBuilder(h.uri("/v1/admin/deployments/x"))
                .header("Authorization", "Bearer not-the-token").PUT(HttpRequest.BodyPublishers.ofString("{\"model\": \"credit\"}")));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(h.server.engine().deployment("x")).isEmpty();
        assertThat(h.admin("GET", "/v1/admin/deployments", null).status()).isEqualTo(200);
    }

    @Test
    void deploymentsAreCreatedReweightedPromotedAndRolledBackAndEveryChangeIsAudited() throws Exception {
        ServerHarness.Reply created = h.admin("PUT", "/v1/admin/deployments/exp", """
                {"arms": [{"name": "stable", "model": "credit", "version": "1", "weight": 100},
                          {"name": "canary", "model": "credit", "version": "2", "weight": 0}],
                 "entity_keys": ["user_id"], "budget_ms": 30000}
                """);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().get("resolved").get("arm:canary").asInt()).isEqualTo(2);
        for (int i = 0; i < 50; i++) {
            assertThat(version("exp", "u" + i)).isEqualTo(1);
        }

        assertThat(h.admin("POST", "/v1/admin/deployments/exp/share", "{\"arm\": \"canary\", \"percent\": 100}").status()).isEqualTo(200);
        for (int i = 0; i < 50; i++) {
            assertThat(version("exp", "u" + i)).isEqualTo(2);
        }
        assertThat(h.admin("POST", "/v1/admin/deployments/exp/weights", "{\"weights\": {\"stable\": 1, \"canary\": 0}}").status()).isEqualTo(200);
        assertThat(version("exp", "u1")).isEqualTo(1);
        ServerHarness.Reply promoted = h.admin("POST", "/v1/admin/deployments/exp/promote", "{\"arm\": \"canary\"}");
        assertThat(promoted.json().get("arms")).hasSize(1);
        assertThat(version("exp", "u1")).isEqualTo(2);
        assertThat(h.admin("POST", "/v1/admin/deployments/exp/rollback", null).status()).isEqualTo(200);
        assertThat(version("exp", "u1")).isEqualTo(1);

        ServerHarness.Reply refused = h.admin("POST", "/v1/admin/deployments/exp/promote", "{\"arm\": \"nope\"}");
        assertThat(refused.status()).isEqualTo(404);

        List<JsonNode> audit = audit();
        assertThat(audit).extracting(a -> a.get("action").asText())
                .containsExactly("deploy", "share", "weights", "promote", "rollback", "promote");
        assertThat(audit.get(0).get("format").asInt()).isEqualTo(1);
        assertThat(audit.get(0).get("actor").asText()).isEqualTo("admin");
        assertThat(audit.get(0).get("target").asText()).isEqualTo("exp");
        assertThat(audit.get(5).get("outcome").asText()).startsWith("refused");
    }

    @Test
    void aBadDeploymentIsRefusedWithTheFieldNamedAndTheOldOneKeepsServing() {
        ServerHarness.Reply r = h.admin("PUT", "/v1/admin/deployments/credit", "{\"arms\": [{\"model\": \"credit\", \"weight\": \"lots\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("arms[0].weight");
        ServerHarness.Reply unknown = h.admin("PUT", "/v1/admin/deployments/credit", "{\"model\": \"no-such-model\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(version("credit", "u")).isEqualTo(1);
    }

    @Test
    void movingAnAliasHotSwapsUnderConcurrentLoadWithoutAFailedRequest() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong served = new AtomicLong();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    ServerHarness.Reply r = h.post("/v1/predict/credit", "{\"features\": {\"x1\": 3, \"x2\": 0}}");
                    if (r.status() != 200) {
                        problems.add(r.status() + " " + r.text());
                    } else if (r.json().get("output").get("score").asDouble() != 3.0 * r.json().get("version").asInt()) {
                        problems.add("wrong answer " + r.text());
                    }
                    served.incrementAndGet();
                }
            }));
        }
        for (int swap = 0; swap < 10; swap++) {
            long before = served.get();
            while (served.get() < before + 20) {
                Thread.onSpinWait();
            }
            ServerHarness.Reply moved = h.admin("POST", "/v1/admin/models/credit/aliases/champion",
                    "{\"version\": " + (swap % 3 + 1) + ", \"reason\": \"swap " + swap + "\"}");
            assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        }
        ServerHarness.Reply back = h.admin("POST", "/v1/admin/models/credit/aliases/champion/rollback", null);
        assertThat(back.status()).as(back.text()).isEqualTo(200);
        stop.set(true);
        for (Thread c : clients) {
            c.join();
        }

        assertThat(problems).isEmpty();
        assertThat(served.get()).isGreaterThan(200);
        assertThat(h.server.engine().resolvedVersions("credit")).containsEntry("arm:main", h.registry.resolve("credit", "champion").version());
        assertThat(h.registry.aliasHistory("credit").getLast().reason()).isEqualTo("rollback");
        assertThat(audit()).extracting(a -> a.get("action").asText()).contains("set_alias", "rollback_alias");
    }
}
