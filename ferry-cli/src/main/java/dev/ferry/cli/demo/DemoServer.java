package dev.ferry.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.materialize.MaterializationResult;
import dev.ferry.features.materialize.Materializer;
import dev.ferry.features.materialize.ProgressListener;
import dev.ferry.features.materialize.Watermarks;
import dev.ferry.online.OnlineStore;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.OnlineStoreFeatureFetcher;
import dev.ferry.types.Row;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The online half of the demo: materialize the views into the embedded online store, start the
 * server with a canary deployment of the two models, and send it real requests over HTTP.
 */
public final class DemoServer {

    public static final String DEPLOYMENT = "credit";
    public static final String ADMIN_TOKEN = "demo-admin-token-change-me";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoServer() {
    }

    /** Copies the latest value of every view's features into the online store. */
    public static List<MaterializationResult> materialize(FeatureRegistry registry, OnlineStore online, Path watermarks, Clock clock,
                                                          Function<String, ProgressListener> progress) {
        List<MaterializationResult> out = new ArrayList<>();
        try (OfflineStore offline = OfflineStore.open(registry)) {
            Materializer m = Materializer.builder().registry(registry).offline(offline).online(online)
                    .watermarks(Watermarks.in(watermarks)).clock(clock).build();
            for (var rv : registry.views()) {
                out.add(m.materializeIncremental(rv.name(), progress.apply(rv.name())));
            }
        }
        return out;
    }

    /** Starts the server with deployment {@value #DEPLOYMENT}: 90% champion, 10% challenger (canary). */
    public static FerryServer start(ModelRegistry registry, FeatureRegistry features, OnlineStore online, Path dataDir, int port) {
        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("arms", List.of(
                Map.of("name", "stable", "model", CreditDemo.MODEL, "version", "champion", "weight", 90),
                Map.of("name", "canary", "model", CreditDemo.MODEL, "version", "challenger", "weight", 10)));
        deployment.put("entity_keys", List.of("dob_ssn", "zipcode"));
        deployment.put("static_default", Map.of("probabilities", List.of(0.5, 0.5)));
        ServerConfig config = ServerConfig.builder().port(port).dataDir(dataDir).adminToken(ADMIN_TOKEN)
                .deployment(DEPLOYMENT, deployment).build();
        return FerryServer.builder().config(config).registry(registry)
                .featureFetcher(new OnlineStoreFeatureFetcher(online, dev.ferry.cli.Wiring.onlineViews(features)))
                .build().start();
    }

    /**
     * What the requests showed. {@code missingFeatures}: answered by the model with some stored
     * features not found; {@code fallbacks}: answered by the fallback chain (the model erred or the
     * request ran out of its time budget).
     */
    public record Traffic(List<String> samples, long[] nanos, Map<String, Integer> arms, int missingFeatures, int fallbacks, int failed) {
    }

    /** Requests sent before the measured ones, so the HTTP path is compiled and loaded as in a warm server. */
    public static final int WARM_UP = 20;

    /** Sends one /v1/predict request per test applicant (entity keys + the application's own features). */
    public static Traffic send(int port, CreditDemo.Dataset test, int count) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<String> samples = new ArrayList<>();
        long[] nanos = new long[count];
        Map<String, Integer> arms = new TreeMap<>();
        int missing = 0;
        int fallbacks = 0;
        int failed = 0;
        for (int w = 0; w < WARM_UP; w++) {
            http.send(request(port, test, w, "demo-warm-up-" + w), HttpResponse.BodyHandlers.discarding());
        }
        for (int i = 0; i < count; i++) {
            int k = i % test.rows().size();
            HttpRequest req = request(port, test, i, "demo-" + i);
            long t0 = System.nanoTime();
            HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - t0;
            if (resp.statusCode() != 200) {
                failed++;
                if (samples.size() < 5) {
                    samples.add("HTTP " + resp.statusCode() + ": " + new String(resp.body()));
                }
                continue;
            }
            JsonNode answer = JSON.readTree(resp.body());
            arms.merge(answer.path("arm").asText(), 1, Integer::sum);
            boolean byModel = "model".equals(answer.path("source").asText());
            boolean degraded = answer.path("degraded").asBoolean();
            missing += degraded && byModel ? 1 : 0;
            fallbacks += byModel ? 0 : 1;
            if (samples.size() < 5) {
                samples.add(String.format("%s -> %s v%s (%s arm): default probability %.3f%s", test.entities().get(k),
                        answer.path("model").asText(), answer.path("version").asText(), answer.path("arm").asText(),
                        answer.path("output").path("probabilities").path(1).asDouble(),
                        !degraded ? "" : byModel ? ", degraded: some stored features missing"
                                : ", degraded: answered by " + answer.path("source").asText()));
            }
        }
        return new Traffic(samples, nanos, arms, missing, fallbacks, failed);
    }

    private static HttpRequest request(int port, CreditDemo.Dataset test, int i, String requestId) throws IOException {
        int k = i % test.rows().size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", requestId);
        body.put("entity", test.entities().get(k));
        Map<String, Object> features = new LinkedHashMap<>();
        Row row = test.rows().get(k);
        for (var f : CreditDemo.REQUEST_FEATURES) {
            features.put(f.name(), row.get(f.name()));
        }
        body.put("features", features);
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/predict/" + DEPLOYMENT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
    }
}
