package dev.ferry.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.model.ModelFormat;
import dev.ferry.registry.CodeVersion;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.TrainingData;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.server.ServerExtension;
import dev.ferry.serving.InMemoryFeatureFetcher;
import dev.ferry.serving.testkit.InMemoryModelRegistry;
import dev.ferry.serving.testkit.Models;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Ferry server on a random port with the console mounted: a registry of linear models
 * with recorded lineage (a training CSV and its SHA-256, features, parameters, seed, metrics),
 * aliases that have moved, and two deployments: {@code credit} (stable 90 / canary 10, a
 * shadow) and {@code fraud} (a canary whose model throws, answered by the static default).
 */
final class ConsoleServer implements AutoCloseable {

    static final String TOKEN = "console-test-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A status and a parsed JSON body (null when the body is not JSON). */
    record Reply(int status, JsonNode json, String text) {
    }

    final Clock clock = Clock.systemUTC();
    final Path dir;
    final InMemoryModelRegistry registry;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final String trainingFingerprint;
    final FerryServer server;

    /** Starts the server with the given extensions (null: the ones found on the class path). */
    ConsoleServer(Path dir, List<ServerExtension> extensions) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        this.registry = new InMemoryModelRegistry(dir.resolve("registry"), clock);
        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, "user_id,x1,x2,label\nu1,1,0,0\nu2,0,1,1\nu3,1,1,1\n");
        trainingFingerprint = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(csv)));
        TrainingData data = new TrainingData(csv.toUri().toString(), trainingFingerprint,
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-06-30T00:00:00Z"), 3);
        register("credit", 0.5, 0.25, "normal", data, 17L, 0.81, "3f2c9a1e");
        register("credit", 0.6, 0.2, "normal", data, 18L, 0.84, "7d41b0c2");
        register("fraud", 1.0, -1.0, "normal", data, 5L, 0.77, "7d41b0c2");
        register("fraud", 1.0, -1.0, "throw", data, 6L, 0.79, "9e0f33aa");
        registry.setAlias("credit", "champion", 1, "alice", "first release");
        registry.setAlias("credit", "champion", 2, "alice", "better auc");
        registry.setAlias("credit", "previous", 1, "alice", "keep the old one at hand");
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).adminToken(TOKEN).dataDir(dir.resolve("data"))
                .budget(Duration.ofSeconds(30))
                .deployment("credit", Map.of(
                        "arms", List.of(Map.of("name", "stable", "model", "credit", "version", "champion", "weight", 90),
                                Map.of("name", "canary", "model", "credit", "version", "previous", "weight", 10)),
                        "shadow", Map.of("model", "credit", "version", "1", "share", 0.25),
                        "entity_keys", List.of("user_id")))
                .deployment("fraud", Map.of(
                        "arms", List.of(Map.of("name", "stable", "model", "fraud", "version", "1", "weight", 80),
                                Map.of("name", "canary", "model", "fraud", "version", "2", "weight", 20)),
                        "entity_keys", List.of("user_id"), "static_default", Map.of("score", 0.0)))
                .build();
        FerryServer.Builder b = FerryServer.builder().config(config).registry(registry)
                .featureFetcher(new InMemoryFeatureFetcher(clock, Duration.ofHours(1))).clock(clock);
        if (extensions != null) {
            b.extensions(extensions);
        }
        server = b.build().start();
        List<String> failed = server.awaitStartup();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("start-up deployments failed: " + failed);
        }
    }

    private ModelVersion register(String name, double w1, double w2, String behavior, TrainingData data, long seed, double auc,
                                  String commit) {
        Path file = Models.write(dir.resolve("models"), name, "layout packed\nfeatures x1:float64 x2:float64\nweights " + w1 + " "
                + w2 + "\nbias 0\nbehavior " + behavior + "\n");
        List<GoldenExample> golden = behavior.equals("normal")
                ? List.of(new GoldenExample(Map.of("x1", 1.0, "x2", 2.0), Map.of("score", w1 + 2 * w2), 1e-9)) : List.of();
        Provenance p = new Provenance(data, List.of("user_stats:x1", "user_stats:x2"),
                Map.of("learning_rate", "0.1", "max_depth", "4"), seed, Map.of("auc", auc), new CodeVersion(commit, false), "run-" + seed);
        return registry.register(new RegisterRequest(name, file, ModelFormat.ONNX, Optional.empty(), p, golden, "bob",
                "trained with seed " + seed));
    }

    URI uri(String path) {
        return URI.create(base() + path);
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json = null;
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                // not JSON (a page or a script)
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

    Reply getWithToken(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    Reply admin(String method, String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Sends {@code n} predictions to a deployment, each for its own user. */
    void predict(String deployment, int n) {
        for (int i = 0; i < n; i++) {
            Reply r = send(HttpRequest.newBuilder(uri("/v1/predict/" + deployment)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"entity\": {\"user_id\": \"u" + i + "\"}, \"features\": {\"x1\": "
                            + (i % 7) + ", \"x2\": " + (i % 3) + "}}")));
            if (r.status() != 200) {
                throw new IllegalStateException("prediction " + i + " to " + deployment + " answered " + r.status() + ": " + r.text());
            }
        }
    }

    @Override
    public void close() {
        server.close();
        registry.close();
    }
}
