package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.serving.InMemoryFeatureFetcher;
import dev.ferry.serving.InMemoryPrecomputedAnswers;
import dev.ferry.serving.testkit.InMemoryModelRegistry;
import dev.ferry.serving.testkit.LinearRuntime;
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
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** A real server on a random port with an in-memory registry and feature store, and an HTTP client. */
final class ServerHarness implements AutoCloseable {

    static final String TOKEN = "test-admin-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A status and a parsed JSON body (null when the body is not JSON). */
    record Reply(int status, JsonNode json, String text) {
    }

    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final Path dir;
    final InMemoryModelRegistry registry;
    final InMemoryFeatureFetcher features = new InMemoryFeatureFetcher(clock, Duration.ofHours(1));
    final InMemoryPrecomputedAnswers precomputed = new InMemoryPrecomputedAnswers();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    FerryServer server;

    ServerHarness(Path dir) {
        this.dir = dir;
        LinearRuntime.HANG = new CountDownLatch(1);
        LinearRuntime.HANG_ARMED = false;
        this.registry = new InMemoryModelRegistry(dir.resolve("registry"), clock);
    }

    /** Starts the server with a config the test may adjust, and waits for its start-up deployments. */
    FerryServer start(Consumer<ServerConfig.Builder> adjust) throws InterruptedException {
        ServerConfig.Builder c = ServerConfig.builder().host("127.0.0.1").port(0).adminToken(TOKEN).dataDir(dir.resolve("data"))
                .maxBodyBytes(256 * 1024).maxBatch(100).budget(Duration.ofSeconds(30));
        adjust.accept(c);
        server = FerryServer.builder().config(c.build()).registry(registry).featureFetcher(features)
                .precomputedAnswers(precomputed).clock(clock).build().start();
        assertThat(server.awaitStartup()).isEmpty();
        return server;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                // not JSON (e.g. /metrics)
            }
            return new Reply(r.statusCode(), json, r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply admin(String method, String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    @Override
    public void close() {
        LinearRuntime.HANG_ARMED = false;
        LinearRuntime.HANG.countDown();
        if (server != null) {
            server.close();
        }
    }
}
