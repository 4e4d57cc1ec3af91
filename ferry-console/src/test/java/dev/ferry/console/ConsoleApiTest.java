package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleApiTest {

    @TempDir
    Path dir;
    ConsoleServer s;

    @BeforeEach
    void setUp() throws Exception {
        s = new ConsoleServer(dir, List.of(new Console(Duration.ofMillis(200), Duration.ofMinutes(1))));
    }

    @AfterEach
    void tearDown() {
        s.close();
    }

    @Test
    void modelsAreListedWithTheirAliases() {
        ConsoleServer.Reply r = s.get("/console/api/models");
        assertThat(r.status()).isEqualTo(200);
        JsonNode credit = find(r.json().get("models"), "name", "credit");
        assertThat(credit.get("versions").asInt()).isEqualTo(2);
        assertThat(credit.get("latest").asInt()).isEqualTo(2);
        assertThat(credit.get("aliases").get("champion").asInt()).isEqualTo(2);
        assertThat(credit.get("aliases").get("previous").asInt()).isEqualTo(1);
        assertThat(s.get("/console/api/summary").json().get("models").asInt()).isEqualTo(2);
    }

    @Test
    void aModelShowsTheLineageTheRegistryRecordedAndItsAliasHistory() {
        JsonNode m = s.get("/console/api/models/credit").json();
        JsonNode v1 = find(m.get("versions"), "version", "1");
        JsonNode p = v1.get("provenance");
        assertThat(p.get("training_data").get("fingerprint").asText()).isEqualTo(s.trainingFingerprint);
        assertThat(p.get("training_data").get("rows").asLong()).isEqualTo(3);
        assertThat(p.get("features").get(0).asText()).isEqualTo("user_stats:x1");
        assertThat(p.get("parameters").get("max_depth").asText()).isEqualTo("4");
        assertThat(p.get("seed").asLong()).isEqualTo(17);
        assertThat(p.get("metrics").get("auc").asDouble()).isEqualTo(0.81);
        assertThat(p.get("code").get("commit").asText()).isEqualTo("3f2c9a1e");
        assertThat(v1.get("sha256").asText()).isEqualTo(s.registry.version("credit", 1).sha256());
        // newest first: the move of champion from 1 to 2 comes before its creation
        JsonNode history = m.get("alias_history");
        assertThat(history).hasSize(3);
        JsonNode moved = find(history, "reason", "better auc");
        assertThat(moved.get("from_version").asInt()).isEqualTo(1);
        assertThat(moved.get("to_version").asInt()).isEqualTo(2);
        assertThat(moved.get("actor").asText()).isEqualTo("alice");
    }

    @Test
    void deploymentsShowArmsWeightsSharesTheShadowAndTheResolvedVersions() {
        JsonNode credit = find(s.get("/console/api/deployments").json().get("deployments"), "name", "credit");
        JsonNode stable = find(credit.get("arms"), "name", "stable");
        JsonNode canary = find(credit.get("arms"), "name", "canary");
        assertThat(stable.get("weight").asDouble()).isEqualTo(90);
        assertThat(stable.get("percent").asDouble()).isEqualTo(90);
        assertThat(stable.get("target").asText()).isEqualTo("champion");
        assertThat(stable.get("version").asInt()).isEqualTo(2);
        assertThat(canary.get("version").asInt()).isEqualTo(1);
        assertThat(credit.get("shadow").get("share").asDouble()).isEqualTo(0.25);
        assertThat(credit.get("entity_keys").get(0).asText()).isEqualTo("user_id");
    }

    @Test
    void trafficShowsRequestsAndLatencyPercentilesPerArmAndErrorsPerDeployment() throws Exception {
        s.predict("credit", 60);
        s.predict("fraud", 60);
        JsonNode credit = awaitTraffic("credit", 60);
        List<JsonNode> samples = new ArrayList<>();
        credit.get("arms").forEach(a -> a.get("samples").forEach(samples::add));
        long requests = samples.stream().mapToLong(n -> n.get("requests").asLong()).sum();
        assertThat(requests).isEqualTo(s.server.engine().meterRegistry().find("ferry.serving.requests").tag("deployment", "credit")
                .counters().stream().mapToLong(c -> (long) c.count()).sum());
        JsonNode busy = samples.stream().filter(n -> n.get("requests").asLong() > 0).findFirst().orElseThrow();
        assertThat(busy.get("p50_ms").asDouble()).isPositive();
        assertThat(busy.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(busy.get("p50_ms").asDouble());
        // the fraud canary's model throws: those answers come from the static default, and the engine counts errors
        JsonNode fraud = awaitTraffic("fraud", 60);
        long errors = 0;
        for (JsonNode n : fraud.get("samples")) {
            errors += n.get("errors").asLong();
        }
        long failedOver = 0;
        for (JsonNode n : find(fraud.get("arms"), "name", "canary").get("samples")) {
            failedOver += n.get("failed_over").asLong();
        }
        assertThat(errors).isPositive().isEqualTo(failedOver);
    }

    private JsonNode awaitTraffic(String deployment, long requests) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode d = s.get("/console/api/traffic?deployment=" + deployment + "&minutes=1").json().get("deployments").get(0);
            long seen = 0;
            for (JsonNode a : d.get("arms")) {
                for (JsonNode n : a.get("samples")) {
                    seen += n.get("requests").asLong();
                }
            }
            if (seen >= requests) {
                return d;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the traffic history of " + deployment + " never showed " + requests + " requests");
    }

    @Test
    void prometheusStillScrapesEveryLatencySeriesWithTheConsolesHistogramsOn() {
        s.predict("credit", 20);
        ConsoleServer.Reply metrics = s.get("/metrics");
        assertThat(metrics.status()).as(metrics.text()).isEqualTo(200);
        // one metric name, one type: every stage's latency is a histogram, not only the total
        assertThat(metrics.text()).contains("ferry_serving_latency_seconds_bucket{").containsPattern(
                "ferry_serving_latency_seconds_bucket\\{[^}]*stage=\"(features|inference)\"");
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() {
        ConsoleServer.Reply model = s.get("/console/api/models/nope");
        assertThat(model.status()).isEqualTo(404);
        assertThat(model.json().get("error").asText()).contains("'name'", "nope");
        ConsoleServer.Reply dep = s.get("/console/api/traffic?deployment=nope");
        assertThat(dep.status()).isEqualTo(404);
        assertThat(dep.json().get("error").asText()).contains("'deployment'", "nope", "credit");
        ConsoleServer.Reply minutes = s.get("/console/api/traffic?minutes=abc");
        assertThat(minutes.status()).isEqualTo(400);
        assertThat(minutes.json().get("error").asText()).contains("'minutes'", "abc");
        ConsoleServer.Reply limit = s.getWithToken("/console/api/audit?limit=0", ConsoleServer.TOKEN);
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("error").asText()).contains("'limit'", "0");
        assertThat(s.get("/console/api/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void theAuditLogNeedsTheAdminTokenAndShowsChangesNewestFirst() {
        assertThat(s.admin("POST", "/v1/admin/deployments/credit/share", "{\"arm\": \"canary\", \"percent\": 30}").status()).isEqualTo(200);
        assertThat(s.admin("POST", "/v1/admin/deployments/nope/rollback", null).status()).isEqualTo(404);
        assertThat(s.get("/console/api/audit").status()).isEqualTo(401);
        ConsoleServer.Reply wrong = s.getWithToken("/console/api/audit", "wrong");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().get("error").asText()).contains("not valid");
        JsonNode entries = s.getWithToken("/console/api/audit", ConsoleServer.TOKEN).json().get("entries");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("action").asText()).isEqualTo("rollback");
        assertThat(entries.get(0).get("outcome").asText()).startsWith("refused");
        assertThat(entries.get(1).get("action").asText()).isEqualTo("share");
        assertThat(entries.get(1).get("outcome").asText()).isEqualTo("ok");
    }

    @Test
    void aLongAuditLogIsReadFromItsEndOnly() throws Exception {
        Path log = s.server.config().dataDir().resolve("audit").resolve("admin-audit.jsonl");
        java.nio.file.Files.createDirectories(log.getParent());
        StringBuilder b = new StringBuilder();
        String padding = "x".repeat(400);
        for (int i = 0; i < 12_000; i++) {
            b.append("{\"format\":1,\"at\":\"2026-01-01T00:00:00Z\",\"actor\":\"ops\",\"action\":\"share\",\"target\":\"d")
                    .append(i).append("\",\"request\":{\"note\":\"").append(padding).append("\"},\"outcome\":\"ok\"}\n");
        }
        java.nio.file.Files.writeString(log, b);
        assertThat(java.nio.file.Files.size(log)).isGreaterThan(ConsoleApi.AUDIT_TAIL_BYTES);
        JsonNode entries = s.getWithToken("/console/api/audit?limit=1000", ConsoleServer.TOKEN).json().get("entries");
        assertThat(entries).hasSize(1000);
        assertThat(entries.get(0).get("target").asText()).isEqualTo("d11999");
        assertThat(entries.get(999).get("target").asText()).isEqualTo("d11000");
    }

    @Test
    void pagesAreServedFromTheClassPathAndNothingElseIs() {
        ConsoleServer.Reply index = s.get("/console/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.text()).contains("<script type=\"module\" src=\"/console/app.js\">");
        ConsoleServer.Reply app = s.send(HttpRequest.newBuilder(s.uri("/console/pages/models.js")).GET());
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.text()).contains("export async function render");
        ConsoleServer.Reply up = s.get("/console/../../META-INF/services/dev.ferry.server.ServerExtension");
        assertThat(up.status()).as(up.text()).isEqualTo(404);
        ConsoleServer.Reply encoded = s.get("/console/%2e%2e/Console.class");
        assertThat(encoded.status()).as(encoded.text()).isEqualTo(404);
        assertThat(s.get("/console/missing.js").status()).isEqualTo(404);
    }

    @Test
    void theConsoleIsMountedByItselfWhenItsJarIsOnTheClassPath() throws Exception {
        try (ConsoleServer other = new ConsoleServer(dir.resolve("other"), null)) {
            assertThat(other.get("/console/").status()).isEqualTo(200);
            assertThat(other.get("/console/api/summary").json().get("deployments").asInt()).isEqualTo(2);
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.get(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }
}
