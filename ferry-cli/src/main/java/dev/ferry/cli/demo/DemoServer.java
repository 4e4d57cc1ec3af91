package dev.ferry.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.console.Console;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.online.OnlineStore;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.rollout.GateThresholds;
import dev.ferry.rollout.RolloutEngine;
import dev.ferry.rollout.RolloutExtension;
import dev.ferry.rollout.RolloutPlan;
import dev.ferry.rollout.RolloutState;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.ModelRef;
import dev.ferry.serving.OnlineStoreFeatureFetcher;
import dev.ferry.types.Row;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The online half of the demo: start the server (deployment, web console, staged rollouts), roll
 * the challenger out with gates, and send real requests over HTTP.
 */
public final class DemoServer {

    public static final String DEPLOYMENT = "credit";
    public static final String ADMIN_TOKEN = "demo-admin-token-change-me";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoServer() {
    }

    /** The running demo server and its rollout engine. */
    public record Started(FerryServer server, RolloutEngine rollouts) {
    }

    /**
     * Starts the server with deployment {@value #DEPLOYMENT} serving the champion alias, the web
     * console, the rollout extension checking its gates every second, and live monitoring in
     * one-minute windows against the baselines under {@code dataDir} (the demo's data directory;
     * the server keeps its own files in {@code dataDir/serving}).
     */
    public static Started start(ModelRegistry registry, FeatureRegistry features, OnlineStore online, Path dataDir, int port) {
        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("arms", List.of(Map.of("name", "main", "model", CreditDemo.MODEL, "version", "champion", "weight", 100)));
        deployment.put("entity_keys", List.of("dob_ssn", "zipcode"));
        deployment.put("static_default", Map.of("probabilities", List.of(0.5, 0.5)));
        ServerConfig config = ServerConfig.builder().port(port).dataDir(dataDir.resolve("serving")).adminToken(ADMIN_TOKEN)
                .deployment(DEPLOYMENT, deployment)
                // live monitoring against the baselines the pipeline stored for each registered version
                .set("monitoring.enabled", "true").set("monitoring.window", "1m").set("monitoring.data-dir", dataDir.toString())
                .build();
        RolloutExtension rollout = new RolloutExtension(new RolloutExtension.Settings(Optional.empty(), null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(30), "demo"));
        FerryServer server = FerryServer.builder().config(config).registry(registry)
                .featureFetcher(new OnlineStoreFeatureFetcher(online, dev.ferry.cli.Wiring.onlineViews(features)))
                .extensions(List.of(new Console(), rollout))
                .build().start();
        return new Started(server, rollout.engine());
    }

    /**
     * Starts a staged rollout of {@code candidate} on the demo deployment: an offline check of its
     * held-out AUC against the champion's, a shadow stage, the canary ladder 5, 10, 25, 100 %, then
     * a watch period. Stages last at least {@code perStage} and need 100 requests a side; the
     * latency gate is loose because the demo's client, server and models share one machine, and the
     * divergence gate allows the two models' known difference. The
     * answer is the rollout after its offline check.
     */
    public static RolloutState startRollout(RolloutEngine engine, int candidate, Duration perStage) {
        RolloutPlan plan = RolloutPlan.of(DEPLOYMENT, new ModelRef(CreditDemo.MODEL, String.valueOf(candidate)))
                .withOffline(new RolloutPlan.OfflineCheck("auc", true, 0.01))
                .withStages(RolloutPlan.DEFAULT_STEPS, perStage, 100, perStage.multipliedBy(2))
                // the challenger's deeper trees spread its probabilities more than the champion's (a
                // Kolmogorov-Smirnov distance of about 0.25 on the same requests): the demo's gate
                // tolerates that and stops only larger shifts, so the rollout can be watched advancing
                .withGates(new GateThresholds(0.95, 0.0, 0.0, 1.0, 25.0, 0.35));
        RolloutState started = engine.start(plan, "demo");
        // the offline check needs no traffic: judge it now, so the demo's requests meet the shadow stage
        engine.tick();
        return engine.status(started.id());
    }

    /**
     * Sends requests in the background at about {@code perSecond} until the JVM exits, so the
     * rollout of a demo left running keeps getting traffic to judge. Failures are counted, not thrown.
     */
    public static Thread trickle(int port, CreditDemo.Dataset test, int perSecond) {
        HttpClient http = HttpClient.newHttpClient();
        Thread t = Thread.ofPlatform().daemon().name("ferry-demo-traffic").start(() -> {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                try {
                    http.send(request(port, test, i, "demo-traffic-" + i), HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(1000L / perSecond);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the server is stopping or busy: try again with the next request
                }
            }
        });
        return t;
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
