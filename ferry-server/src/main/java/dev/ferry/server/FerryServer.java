package dev.ferry.server;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.alert.AlertRules;
import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.watch.BaselineSource;
import dev.ferry.monitoring.watch.DeploymentMonitor;
import dev.ferry.monitoring.watch.WatchConfig;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.FeatureFetcher;
import dev.ferry.serving.PrecomputedAnswers;
import dev.ferry.serving.PredictionLogSink;
import dev.ferry.serving.RollingFilePredictionLog;
import dev.ferry.serving.ServingEngine;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Ferry's HTTP server: the Open Inference Protocol v2, {@code /v1/predict} and
 * {@code /v1/rank}, online feature reads ({@code /v1/features}), the token-protected admin API, live monitoring
 * ({@code /v1/monitoring}, when enabled), and Prometheus {@code /metrics}, over a
 * {@link ServingEngine} it builds from a {@link ServerConfig}. Helidon SE on virtual threads.
 * Optional parts (the web console) add routes as {@link ServerExtension}s found on the class path.
 * To serve from inside a Java service without HTTP, use {@link ServingEngine} directly.
 */
public final class FerryServer implements AutoCloseable {

    private final ServerConfig config;
    private final ServingEngine engine;
    private final PrometheusMeterRegistry prometheus;
    private final DeploymentMonitor monitor;
    private final WebServer web;
    private final AuditLog audit;
    private final List<ServerExtension> extensions;
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<String> startupFailures = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.ScheduledExecutorService poller = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ferry-alias-poll").factory());

    private FerryServer(Builder b) {
        this.config = b.config;
        this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.extensions = new ArrayList<>(b.extensions);
        if (b.discoverExtensions) {
            java.util.ServiceLoader.load(ServerExtension.class).forEach(extensions::add);
        }
        // before the engine exists, so meter filters (e.g. latency histograms) apply to every engine meter
        extensions.forEach(e -> e.configureMeters(prometheus));
        this.monitor = config.monitoring().map(m -> new DeploymentMonitor(
                new WatchConfig(m.window(), m.rules().map(AlertRules::load).orElseGet(WatchConfig::defaultRules), m.webhook(), m.queue()),
                b.baselines != null ? b.baselines : BaselineSource.of(BaselineStore.in(m.dataDir())), prometheus, b.clock)).orElse(null);
        List<PredictionLogSink> extras = new ArrayList<>();
        if (monitor != null) {
            extras.add(monitor);
        }
        if (b.extraLog != null) {
            extras.add(b.extraLog);
        }
        this.engine = ServingEngine.builder()
                .registry(b.registry)
                .featureFetcher(b.fetcher)
                .precomputedAnswers(b.precomputed)
                .clock(b.clock)
                .meterRegistry(prometheus)
                .maxBatch(config.maxBatch())
                .inferBudget(config.inferBudget())
                .isolation(config.isolation())
                .shadowExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor(), config.shadowConcurrency())
                .predictionLog(withExtra(new RollingFilePredictionLog(config.dataDir().resolve("predictions"), config.logMaxBytes(),
                        config.logMaxAge(), b.clock), extras.isEmpty() ? null : PredictionLogSink.all(extras)), config.logQueue())
                .build();
        this.audit = new AuditLog(config.dataDir().resolve("audit").resolve("admin-audit.jsonl"), b.clock);
        Http http = new Http(config.maxBodyBytes(), prometheus);
        HttpRouting.Builder routing = HttpRouting.builder();
        new OipRoutes(engine, http, this::ready, config.maxTensorElements()).register(routing);
        new PredictRoutes(engine, http, config.maxBatch()).register(routing);
        AdminRoutes admin = new AdminRoutes(engine, http, config.adminToken(), audit, config.budget());
        admin.register(routing);
        // online feature reads (Feast's get-online-features shapes)
        new FeatureRoutes(java.util.Optional.ofNullable(b.onlineFeatures), http).register(routing);
        new MonitoringRoutes(engine, http, java.util.Optional.ofNullable(monitor)).register(routing);
        routing.get("/metrics", http.handler("metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(prometheus.scrape().getBytes(StandardCharsets.UTF_8));
        }));
        ServerContext context = new ServerContext(engine, config, b.clock, routing, admin, audit,
                java.util.Optional.ofNullable(monitor).map(m -> (java.util.function.Function<String, java.util.Optional<java.util.Map<String, Object>>>)
                        name -> m.status(name, false)));
        try {
            extensions.forEach(x -> x.register(context));
        } catch (RuntimeException e) {
            // a misconfigured extension fails the start; what was already started is stopped
            closeExtensions();
            engine.close();
            prometheus.close();
            throw e;
        }
        routing.error(Throwable.class, (req, res, t) -> Http.fail(res, t));
        this.web = WebServer.builder()
                .host(config.host())
                .port(config.port())
                // our own limit answers 413 with a JSON body; Helidon's is a backstop
                .maxPayloadSize(config.maxBodyBytes() * 2 + 1024)
                // Nagle off: an answer written in more than one segment (a 100-entity feature read
                // is about 200 KB) otherwise waits for the client's delayed ACK, 40 ms on Linux.
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(routing)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The JSON Lines log, and the extra sink after it when one is set; a failing extra sink never stops the JSON Lines log. */
    private static PredictionLogSink withExtra(PredictionLogSink jsonl, PredictionLogSink extra) {
        if (extra == null) {
            return jsonl;
        }
        return new PredictionLogSink() {
            @Override
            public void write(List<dev.ferry.serving.PredictionRecord> records) {
                try {
                    extra.write(records);
                } finally {
                    jsonl.write(records);
                }
            }

            @Override
            public void flush() {
                try {
                    extra.flush();
                } finally {
                    jsonl.flush();
                }
            }

            @Override
            public void close() {
                try {
                    extra.close();
                } finally {
                    jsonl.close();
                }
            }
        };
    }

    /**
     * Starts listening (liveness answers at once), then creates the configured deployments in
     * the background; readiness turns true when every one is loaded, validated and warm.
     */
    public FerryServer start() {
        web.start();
        Thread.ofVirtual().name("ferry-startup").start(() -> {
            try {
                for (var e : config.deployments().entrySet()) {
                    try {
                        DeploymentSpec spec = DeploymentJson.parse(e.getKey(), Http.JSON.valueToTree(e.getValue()), config.budget());
                        engine.deploy(spec);
                    } catch (RuntimeException ex) {
                        startupFailures.add("deployment '" + e.getKey() + "': " + ex.getMessage());
                    }
                }
            } finally {
                started.countDown();
            }
        });
        if (!config.aliasPoll().isZero()) {
            long every = config.aliasPoll().toMillis();
            poller.scheduleWithFixedDelay(this::pollAliases, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void pollAliases() {
        try {
            engine.refresh();
        } catch (RuntimeException e) {
            // a registry outage or a version failing validation leaves the current versions serving;
            // the next poll tries again
            prometheus.counter("ferry.serving.alias.poll.failures").increment();
        }
    }

    /** Waits for the start-up deployments; returns the ones that failed (empty when all serve). */
    public List<String> awaitStartup() throws InterruptedException {
        started.await();
        return List.copyOf(startupFailures);
    }

    /** Ready: start-up deployments all loaded and none of them failed. */
    public boolean ready() {
        return started.getCount() == 0 && startupFailures.isEmpty() && engine.ready();
    }

    /** The port listened on (the chosen one when the configuration said 0). */
    public int port() {
        return web.port();
    }

    public ServingEngine engine() {
        return engine;
    }

    public ServerConfig config() {
        return config;
    }

    /** The live monitor of served deployments, when {@code monitoring.enabled}. */
    public java.util.Optional<DeploymentMonitor> monitor() {
        return java.util.Optional.ofNullable(monitor);
    }

    /** Stops listening, then closes the engine (its models and the prediction log). */
    @Override
    public void close() {
        poller.shutdownNow();
        web.stop();
        closeExtensions();
        engine.close();
        prometheus.close();
    }

    private void closeExtensions() {
        for (ServerExtension x : extensions) {
            try {
                x.close();
            } catch (RuntimeException e) {
                // the engine must still close
                prometheus.counter("ferry.server.extension.close.failures").increment();
            }
        }
    }

    /** Configures a {@link FerryServer}; config and registry are required. */
    public static final class Builder {
        private ServerConfig config;
        private ModelRegistry registry;
        private FeatureFetcher fetcher;
        private dev.ferry.serving.OnlineFeatures onlineFeatures;
        private PrecomputedAnswers precomputed = PrecomputedAnswers.none();
        private Clock clock = Clock.systemUTC();
        private PredictionLogSink extraLog;
        private final List<ServerExtension> extensions = new ArrayList<>();
        private boolean discoverExtensions = true;
        private BaselineSource baselines;

        private Builder() {
        }

        /** Adds an extension beside those found on the class path. */
        public Builder extension(ServerExtension value) {
            extensions.add(java.util.Objects.requireNonNull(value, "extension"));
            return this;
        }

        /** Whether to load the {@link ServerExtension}s on the class path (default true). */
        public Builder discoverExtensions(boolean value) {
            discoverExtensions = value;
            return this;
        }

        /** The extensions to install, instead of the ones found on the class path with {@link java.util.ServiceLoader}. */
        public Builder extensions(List<ServerExtension> value) {
            extensions.clear();
            extensions.addAll(value);
            discoverExtensions = false;
            return this;
        }

        /** Where the monitor finds baseline profiles; default the store under {@code monitoring.data-dir}. */
        public Builder baselines(BaselineSource value) {
            baselines = value;
            return this;
        }

        /**
         * A second prediction log sink beside the JSON Lines files (e.g. the Parquet log of
         * {@code ferry-predictionlog-parquet}); it gets the same batches from the engine's writer
         * thread, so it should not block (the Parquet log only queues). The server closes it.
         */
        public Builder extraPredictionLog(PredictionLogSink value) {
            extraLog = value;
            return this;
        }

        public Builder config(ServerConfig value) {
            config = value;
            return this;
        }

        public Builder registry(ModelRegistry value) {
            registry = value;
            return this;
        }

        /** The online feature store's fetcher; without one every stored feature is missing (and answers degraded). */
        public Builder featureFetcher(FeatureFetcher value) {
            fetcher = value;
            return this;
        }

        /** Serves {@code POST /v1/features} (and {@code /get-online-features}); without it they answer 503. */
        public Builder onlineFeatures(dev.ferry.serving.OnlineFeatures value) {
            onlineFeatures = value;
            return this;
        }

        public Builder precomputedAnswers(PrecomputedAnswers value) {
            precomputed = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public FerryServer build() {
            List<String> problems = new ArrayList<>();
            if (config == null) {
                problems.add("config was not set but it is required");
            }
            if (registry == null) {
                problems.add("registry was not set but it is required");
            }
            if (precomputed == null || clock == null) {
                problems.add("precomputedAnswers and clock must not be null");
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException("server is misconfigured: " + String.join("; ", problems));
            }
            if (fetcher == null) {
                fetcher = request -> new dev.ferry.serving.FetchedFeatures(
                        Collections.nCopies(request.entities().size(), new dev.ferry.types.Row(Map.of())), true,
                        List.of("no feature fetcher configured"));
            }
            return new FerryServer(this);
        }
    }
}
