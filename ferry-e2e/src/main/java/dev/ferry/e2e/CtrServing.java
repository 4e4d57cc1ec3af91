package dev.ferry.e2e;

import dev.ferry.online.OnlineStore;
import dev.ferry.predictionlog.ParquetPredictionLog;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.OnlineStoreFeatureFetcher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The click-through scenario's models in a {@link FileModelRegistry} and a real {@link FerryServer}
 * over them, on a random local port. Models: {@code ctr} v1 (100 trees, depth 6, alias
 * {@code champion}), {@code ctr} v2 (100 trees, depth 5: the hot-swap target, A/B arm b and the
 * shadow), {@code ctr-small} v1 (request-time features only: the fallback, which needs no store).
 */
public final class CtrServing {

    public static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";
    /** Follows ctr@champion, mirrors every request to ctr v2, falls back to ctr-small. */
    public static final String MAIN = "ctr";
    /** 50/50 A/B test of ctr v1 (arm a) against ctr v2 (arm b). */
    public static final String AB = "ab";
    /** Follows ctr@champion with the fallback chain and no shadow: what the load generator measures. */
    public static final String PLAIN = "plain";

    /** The trained models, for computing expected answers with XGBoost4J directly. */
    public record Models(CtrScenario scenario, CtrScenario.Trained v1, CtrScenario.Trained v2, CtrScenario.Trained small) {
    }

    private CtrServing() {
    }

    /** Trains the three models and registers them (with golden examples) under {@code dir/registry}. */
    public static Models train(Path dir, long seed) {
        CtrScenario scenario = new CtrScenario(seed);
        Path files = dir.resolve("models");
        CtrScenario.Trained v1 = scenario.train(files, "ctr-v1.json", CtrScenario.features(), 100, 6, 5_000);
        CtrScenario.Trained v2 = scenario.train(files, "ctr-v2.json", CtrScenario.features(), 100, 5, 4_000);
        CtrScenario.Trained small = scenario.train(files, "ctr-small.json", CtrScenario.requestOnlyFeatures(), 30, 3, 2_000);
        try (ModelRegistry registry = FileModelRegistry.open(dir.resolve("registry"))) {
            CtrScenario.register(registry, CtrScenario.MODEL, v1);
            CtrScenario.register(registry, CtrScenario.MODEL, v2);
            CtrScenario.register(registry, CtrScenario.SMALL_MODEL, small);
            registry.setAlias(CtrScenario.MODEL, "champion", 1, "e2e", "first model");
        }
        return new Models(scenario, v1, v2, small);
    }

    /**
     * Starts a server over the registry in {@code dir} and the online store, waits for its
     * deployments and returns it. {@code budget} is every deployment's time budget; {@code parquet}
     * (may be null) is the extra prediction log.
     */
    public static FerryServer start(Path dir, ModelRegistry registry, OnlineStore store, Duration budget,
                                    ParquetPredictionLog parquet) throws InterruptedException {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).adminToken(ADMIN_TOKEN)
                .dataDir(dir.resolve("data")).maxBatch(1_000).budget(budget)
                .set("serving.alias-poll-seconds", 0)
                .deployment(MAIN, deployment(List.of(arm("main", "champion", 1)), true))
                .deployment(AB, deployment(List.of(arm("a", "1", 50), arm("b", "2", 50)), false))
                .deployment(PLAIN, deployment(List.of(arm("main", "champion", 1)), false))
                .build();
        FerryServer.Builder b = FerryServer.builder().config(config).registry(registry)
                .featureFetcher(new OnlineStoreFeatureFetcher(store, CtrScenario.views())).clock(Clock.systemUTC());
        if (parquet != null) {
            b.extraPredictionLog(parquet);
        }
        FerryServer server = b.build().start();
        List<String> failures = server.awaitStartup();
        if (!failures.isEmpty()) {
            server.close();
            throw new IllegalStateException("the scenario's deployments failed to start: " + failures);
        }
        return server;
    }

    private static Map<String, Object> arm(String name, String version, int weight) {
        return Map.of("name", name, "model", CtrScenario.MODEL, "version", version, "weight", weight);
    }

    private static Map<String, Object> deployment(List<Map<String, Object>> arms, boolean shadow) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("arms", arms);
        if (shadow) {
            d.put("shadow", Map.of("model", CtrScenario.MODEL, "version", "2", "share", 1.0));
        }
        d.put("entity_keys", List.of("user_id", "item_id"));
        d.put("fallback", Map.of("model", CtrScenario.SMALL_MODEL, "version", "1"));
        d.put("static_default", Map.of("probabilities", List.of(0.5, 0.5)));
        d.put("score_output", "probabilities");
        return d;
    }
}
