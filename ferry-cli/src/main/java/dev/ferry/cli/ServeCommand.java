package dev.ferry.cli;

import dev.ferry.features.FeatureRegistry;
import dev.ferry.online.OnlineStore;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.OnlineStoreFeatureFetcher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry serve}: the HTTP server (Open Inference Protocol v2, /v1/predict, /v1/rank, /v1/features, admin,
 * metrics) over the registry and the online store, until interrupted.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve models over HTTP: Open Inference Protocol v2, /v1/predict, /v1/rank, /v1/admin, /metrics.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    RegistryOptions registryOptions;

    @Option(names = "--config", description = "Server configuration (YAML); every key can be overridden by FERRY_<SECTION>_<KEY>.")
    Path config;

    @Option(names = "--port", description = "Port (overrides server.port; 0 picks a free one).")
    Integer port;

    @Mixin
    OnlineStoreOption online;

    // Near cache and extra prediction logs (ServeExtras).
    @Option(names = "--near-cache-size", description = "Keep up to this many hot (view, entity) pairs in process in front of the online store.")
    Long nearCacheSize;

    @Option(names = "--near-cache-staleness", description = "How long a cached entity may be answered from memory: 500ms, 2s, 1m (default 2s).")
    String nearCacheStaleness;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent(ServerConfig.envName("serving.data-dir"), registryOptions.dataDir.resolve("serving").toString());
        env.putIfAbsent(ServerConfig.envName("monitoring.data-dir"), registryOptions.dataDir.toString());
        if (port != null) {
            env.put(ServerConfig.envName("server.port"), port.toString());
        }
        ServerConfig cfg = config != null ? ServerConfig.load(config, env) : ServerConfig.fromEnvironment(env);
        Clock clock = Clock.systemUTC();
        ModelRegistry registry = registryOptions.open();
        List<Consumer<MeterRegistry>> bindMetrics = new ArrayList<>();
        OnlineStore store = ServeExtras.nearCache(online.open(registryOptions.dataDir, clock),
                nearCacheSize, nearCacheStaleness, clock, bindMetrics);
        ServeExtras.ExtraLogs extraLogs = ServeExtras.extraLogs(cfg, clock);
        bindMetrics.add(extraLogs.bindMetrics());
        List<OnlineStoreFeatureFetcher.OnlineView> views = List.of();
        dev.ferry.serving.OnlineFeatures onlineFeatures = null;
        if (Files.isDirectory(registryOptions.dataDir.resolve("features"))) {
            FeatureRegistry features = Wiring.features(registryOptions.dataDir);
            views = Wiring.onlineViews(features);
            onlineFeatures = Wiring.onlineFeatures(features, store);
        }
        FerryServer server = FerryServer.builder().config(cfg).registry(registry)
                .featureFetcher(new OnlineStoreFeatureFetcher(store, views)).onlineFeatures(onlineFeatures).clock(clock)
                .extraPredictionLog(extraLogs.sink().orElse(null))
                .build();
        bindMetrics.forEach(b -> b.accept(server.engine().meterRegistry()));
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            store.close();
            registry.close();
            stopped.countDown();
        }, "ferry-shutdown"));
        out.printf("Ferry is serving on http://localhost:%d (ready: /v2/health/ready, metrics: /metrics)%n", server.port());
        out.printf("web console: http://localhost:%d/console/%n", server.port());
        out.printf("online features from %d view(s): %s%n", views.size(), views.stream().map(OnlineStoreFeatureFetcher.OnlineView::onlineName).toList());
        out.flush();
        List<String> failed = server.awaitStartup();
        if (!failed.isEmpty()) {
            out.println("some deployments failed to start (the server stays up, not ready):");
            failed.forEach(f -> out.println("  " + f));
        } else {
            out.println("ready");
        }
        out.flush();
        stopped.await();
        return 0;
    }
}
