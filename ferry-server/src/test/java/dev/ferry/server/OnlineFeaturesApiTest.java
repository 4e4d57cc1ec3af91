package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.online.EntityKey;
import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.online.OnlineRecord;
import dev.ferry.serving.OnlineFeatures;
import dev.ferry.serving.OnlineStoreFeatureFetcher.OnlineView;
import dev.ferry.serving.testkit.InMemoryModelRegistry;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/features} and its Feast alias on a real server on a random port. */
class OnlineFeaturesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FRESH = Instant.parse("2025-12-31T23:00:00Z");
    private static final Instant STALE = Instant.parse("2020-04-26T18:01:04.746575Z");

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private InMemoryOnlineStore store;
    private FerryServer server;

    @BeforeEach
    void start() {
        store = new InMemoryOnlineStore(clock);
        store.write("driver_hourly_stats@1", List.of(
                new OnlineRecord(EntityKey.of(1001L), values("conv_rate", 0.7037, "acc_rate", 0.8724f), FRESH),
                new OnlineRecord(EntityKey.of(1002L), values("conv_rate", 0.5, "acc_rate", null), FRESH),
                new OnlineRecord(EntityKey.of(1003L), values("conv_rate", 0.1, "acc_rate", 0.2f), STALE)));
        OnlineView view = new OnlineView("driver_hourly_stats", "driver_hourly_stats@1",
                List.of(Field.required("driver_id", FeatureType.INT64)), List.of("conv_rate", "acc_rate"),
                Optional.of(Duration.ofDays(1)));
        OnlineFeatures features = new OnlineFeatures(store, List.of(view),
                List.of(new OnlineFeatures.Service("driver_activity", List.of("driver_hourly_stats:conv_rate"))));
        server = FerryServer.builder()
                .config(ServerConfig.builder().host("127.0.0.1").port(0).adminToken("test-admin-token-0123456789")
                        .dataDir(dir.resolve("data")).build())
                .registry(new InMemoryModelRegistry(dir.resolve("registry"), clock))
                .onlineFeatures(features).clock(clock).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private record Reply(int status, JsonNode json) {
    }

    private Reply post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    @Test
    void answersInFeastsShapeWithEveryStatus() throws Exception {
        Reply r = post("/v1/features", """
                {"features": ["driver_hourly_stats:conv_rate", "driver_hourly_stats:acc_rate"],
                 "entities": {"driver_id": [1001, 1002, 1003, 1004]},
                 "full_feature_names": false}""");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(JSON.readTree("""
                {"metadata": {"feature_names": ["driver_id", "conv_rate", "acc_rate"]},
                 "results": [
                   {"values": [1001, 0.7037, 0.8724],
                    "statuses": ["PRESENT", "PRESENT", "PRESENT"],
                    "event_timestamps": ["1970-01-01T00:00:00Z", "2025-12-31T23:00:00Z", "2025-12-31T23:00:00Z"]},
                   {"values": [1002, 0.5, null],
                    "statuses": ["PRESENT", "PRESENT", "NULL_VALUE"],
                    "event_timestamps": ["1970-01-01T00:00:00Z", "2025-12-31T23:00:00Z", "2025-12-31T23:00:00Z"]},
                   {"values": [1003, null, null],
                    "statuses": ["PRESENT", "OUTSIDE_MAX_AGE", "OUTSIDE_MAX_AGE"],
                    "event_timestamps": ["1970-01-01T00:00:00Z", "2020-04-26T18:01:04.746575Z", "2020-04-26T18:01:04.746575Z"]},
                   {"values": [1004, null, null],
                    "statuses": ["PRESENT", "NOT_FOUND", "NOT_FOUND"],
                    "event_timestamps": ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]}]}"""));
    }

    @Test
    void theFeastPathAndAFeatureServiceWithFullNamesWorkToo() throws Exception {
        Reply r = post("/get-online-features", """
                {"feature_service": "driver_activity", "entities": {"driver_id": [1001]}, "full_feature_names": true}""");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/metadata/feature_names")).isEqualTo(JSON.readTree("[\"driver_id\", \"driver_hourly_stats__conv_rate\"]"));
        assertThat(r.json().at("/results/0/values/1").doubleValue()).isEqualTo(0.7037);
    }

    @Test
    void badRequestsAre400sNamingTheField() throws Exception {
        assertError(post("/v1/features", """
                {"features": ["driver_hourly_stats:nope"], "entities": {"driver_id": [1001]}}"""), "'nope'", "conv_rate");
        assertError(post("/v1/features", """
                {"features": ["driver_hourly_stats:conv_rate"], "entities": {"rider_id": [1001]}}"""), "entities.driver_id is missing");
        assertError(post("/v1/features", """
                {"features": ["driver_hourly_stats:conv_rate"], "entities": {"driver_id": ["1001"]}}"""), "entities.driver_id[0]", "int64");
        assertError(post("/v1/features", """
                {"features": ["driver_hourly_stats:conv_rate"], "entities": {"driver_id": [1], "x": [1, 2]}}"""), "entities.x has 2 values");
        assertError(post("/v1/features", """
                {"features": ["driver_hourly_stats:conv_rate"], "feature_service": "driver_activity", "entities": {"driver_id": [1]}}"""),
                "'feature_service'", "exactly one");
        assertError(post("/v1/features", """
                {"features": ["driver_hourly_stats:conv_rate"], "entities": {"driver_id": [1]}, "full_names": true}"""), "full_names");
        assertError(post("/v1/features", """
                {"feature_service": "nope", "entities": {"driver_id": [1]}}"""), "feature_service", "driver_activity");
    }

    private static void assertError(Reply r, String... fragments) {
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("kind").asText()).isEqualTo("invalid_input");
        assertThat(r.json().get("error").asText()).contains(fragments);
    }
}
