package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.InMemoryFeatureFetcher;
import dev.ferry.serving.ModelRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout admin API on a real server on a random port. */
class RolloutApiTest {

    static final String TOKEN = "rollout-admin-token-0123456789";

    @TempDir
    Path dir;
    RolloutFixture f;
    FerryServer server;
    RolloutExtension extension;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Reply(int status, JsonNode json) {
    }

    @BeforeEach
    void start() {
        f = new RolloutFixture(dir);
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.80, "");
        extension = new RolloutExtension(new RolloutExtension.Settings(Optional.empty(), null, null, Duration.ZERO,
                Duration.ofSeconds(30), "api-test"));
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).adminToken(TOKEN).dataDir(dir.resolve("data"))
                .budget(Duration.ofSeconds(30)).build();
        server = FerryServer.builder().config(config).registry(f.registry).featureFetcher(new InMemoryFeatureFetcher(f.clock,
                Duration.ofHours(1))).clock(f.clock).discoverExtensions(false).extension(extension).build().start();
        server.engine().deploy(DeploymentSpec.builder("credit").budget(Duration.ofSeconds(30)).arm("main", ModelRef.parse("credit@1"), 1)
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        f.close();
    }

    Reply call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("X-Ferry-Actor", "alice");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : RolloutJson.JSON.readTree(r.body()));
    }

    @Test
    void theOpenViewNeedsNoTokenTellsTimeInStageByTheServersClockAndNamesNobody() throws Exception {
        String id = call("POST", "/v1/admin/rollouts", "{\"deployment\":\"credit\",\"candidate\":\"credit@2\"}", TOKEN).json()
                .get("id").asText();
        f.clock.advance(Duration.ofSeconds(90));
        Reply open = call("GET", "/v1/rollouts", null, null);
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.json().get("now").asText()).isEqualTo(f.clock.instant().toString());
        JsonNode r = open.json().get("rollouts").get(0);
        assertThat(r.get("id").asText()).isEqualTo(id);
        assertThat(r.get("deployment").asText()).isEqualTo("credit");
        assertThat(r.get("candidate").asText()).isEqualTo("credit@2");
        assertThat(r.get("label").asText()).isEqualTo("OFFLINE");
        assertThat(r.get("seconds_in_stage").asDouble()).isEqualTo(90.0);
        JsonNode started = r.get("history").get(0);
        assertThat(started.has("actor")).isFalse();
        assertThat(started.get("automatic").asBoolean()).isFalse();
        assertThat(r.has("baseline")).isFalse();
        // the admin view, behind the token, still says who
        assertThat(call("GET", "/v1/admin/rollouts/" + id, null, TOKEN).json().get("history").get(0).get("actor").asText())
                .isEqualTo("alice");

        extension.engine().tick();
        JsonNode moved = call("GET", "/v1/rollouts", null, null).json().get("rollouts").get(0);
        assertThat(moved.get("label").asText()).isEqualTo("SHADOW");
        assertThat(moved.get("history").get(1).get("automatic").asBoolean()).isTrue();
        extension.engine().abort(id, "alice");
        assertThat(call("GET", "/v1/rollouts", null, null).json().get("rollouts").get(0).get("seconds_in_stage").isNull()).isTrue();
    }

    @Test
    void everyRouteRefusesWithoutTheToken() throws Exception {
        assertThat(call("GET", "/v1/admin/rollouts", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/v1/admin/rollouts", null, "wrong-token-wrong-token").status()).isEqualTo(403);
        assertThat(call("POST", "/v1/admin/rollouts", "{\"deployment\":\"credit\",\"candidate\":\"credit@2\"}", null).status())
                .isEqualTo(401);
        assertThat(call("POST", "/v1/admin/rollouts/x/abort", null, "wrong-token-wrong-token").status()).isEqualTo(403);
        assertThat(extension.engine().list()).isEmpty();
    }

    @Test
    void badInputIsRefusedWith400NamingTheField() throws Exception {
        Reply missing = call("POST", "/v1/admin/rollouts", "{\"deployment\":\"credit\"}", TOKEN);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).contains("'candidate'");
        Reply steps = call("POST", "/v1/admin/rollouts", "{\"deployment\":\"credit\",\"candidate\":\"credit@2\",\"canary_steps\":[50,10,100]}",
                TOKEN);
        assertThat(steps.status()).isEqualTo(400);
        assertThat(steps.json().get("error").asText()).contains("canary_steps");
        Reply type = call("POST", "/v1/admin/rollouts", "{\"deployment\":\"credit\",\"candidate\":\"credit@2\",\"min_samples\":\"ten\"}", TOKEN);
        assertThat(type.json().get("error").asText()).contains("'min_samples'").contains("integer");
        assertThat(call("POST", "/v1/admin/rollouts", "not json", TOKEN).status()).isEqualTo(400);
        Reply unknown = call("POST", "/v1/admin/rollouts", "{\"deployment\":\"nope\",\"candidate\":\"credit@2\"}", TOKEN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("'deployment'");
        assertThat(call("GET", "/v1/admin/rollouts/no-such", null, TOKEN).status()).isEqualTo(404);
        Reply extra = call("POST", "/v1/admin/rollouts/x/pause", "{\"force\":true}", TOKEN);
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.json().get("error").asText()).contains("'force'");
    }

    @Test
    void startStatusPauseResumePromoteAndAbortAreAuditedTransitions() throws Exception {
        Reply started = call("POST", "/v1/admin/rollouts", "{\"deployment\":\"credit\",\"candidate\":\"credit@2\"}", TOKEN);
        assertThat(started.status()).isEqualTo(200);
        String id = started.json().get("id").asText();
        assertThat(started.json().get("stage").asText()).isEqualTo("OFFLINE");
        extension.engine().tick();
        assertThat(call("GET", "/v1/admin/rollouts/" + id, null, TOKEN).json().get("stage").asText()).isEqualTo("SHADOW");
        assertThat(call("POST", "/v1/admin/rollouts/" + id + "/pause", null, TOKEN).json().get("paused").asBoolean()).isTrue();
        assertThat(call("POST", "/v1/admin/rollouts/" + id + "/pause", null, TOKEN).status()).isEqualTo(409);
        assertThat(call("POST", "/v1/admin/rollouts/" + id + "/resume", null, TOKEN).json().get("paused").asBoolean()).isFalse();
        Reply promoted = call("POST", "/v1/admin/rollouts/" + id + "/promote", null, TOKEN);
        assertThat(promoted.json().get("label").asText()).isEqualTo("CANARY 5%");
        assertThat(server.engine().deployment("credit").orElseThrow().arms()).hasSize(2);
        Reply aborted = call("POST", "/v1/admin/rollouts/" + id + "/abort", null, TOKEN);
        assertThat(aborted.json().get("stage").asText()).isEqualTo("ABORTED");
        assertThat(server.engine().deployment("credit").orElseThrow().arms()).hasSize(1);
        assertThat(call("GET", "/v1/admin/rollouts", null, TOKEN).json().get("rollouts")).hasSize(1);

        List<JsonNode> audit = Files.readAllLines(dir.resolve("data/audit/admin-audit.jsonl")).stream().map(l -> {
            try {
                return RolloutJson.JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(audit.stream().filter(a -> a.get("action").asText().equals("rollout_transition")).map(a -> a.get("request").get("to").asText()))
                .containsExactly("OFFLINE", "SHADOW", "SHADOW (paused)", "SHADOW (resumed)", "CANARY 5%", "ABORTED");
        assertThat(audit.stream().map(a -> a.get("action").asText())).contains("rollout_start", "rollout_pause", "rollout_resume",
                "rollout_promote", "rollout_abort");
        assertThat(audit.stream().filter(a -> a.get("action").asText().equals("rollout_pause")).map(a -> a.get("outcome").asText()))
                .containsExactly("ok", "refused: rollout '" + id + "' is already paused");
    }

    @Test
    void aServerFindsTheRolloutExtensionOnTheClassPath() throws Exception {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).adminToken(TOKEN).dataDir(dir.resolve("discovered"))
                .build();
        try (FerryServer discovered = FerryServer.builder().config(config).registry(f.registry).clock(f.clock).build().start()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + discovered.port()
                    + "/v1/admin/rollouts")).header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(RolloutJson.JSON.readTree(r.body()).get("rollouts")).isEmpty();
        }
        assertThat(dir.resolve("discovered/rollouts")).isDirectory();
    }
}
