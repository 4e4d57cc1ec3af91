package dev.ferry.bench;

import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.monitoring.watch.DeploymentMonitor;
import dev.ferry.monitoring.watch.WatchConfig;
import dev.ferry.model.ModelFormat;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What live monitoring costs serving: two servers over the same registry and XGBoost model, one
 * with {@code monitoring.enabled} (profiling every served prediction against a baseline), one
 * without, loaded in turn by the same closed-loop HTTP client in the same run (alternating phases,
 * so a change in the machine's load hits both). Then, in process, the cost per record of the
 * profile accumulator alone and of the whole monitor path (queue, profiles, type checks).
 *
 * <pre>
 * java -cp "$CP" dev.ferry.bench.MonitoringOverheadBenchmark [seconds-per-phase=15] [client-threads=4] [rounds=3]
 * </pre>
 */
public final class MonitoringOverheadBenchmark {

    private static final List<String> FEATURES = List.of("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7");

    private MonitoringOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("ferry-monitoring-bench");
        Random random = new Random(42);
        List<Row> rows = new ArrayList<>();
        float[] labels = new float[5000];
        ProfileAccumulator baseline = ProfileAccumulator.inferring();
        for (int i = 0; i < labels.length; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            double z = 0;
            for (String f : FEATURES) {
                double x = random.nextGaussian();
                v.put(f, x);
                z += x;
            }
            rows.add(new Row(v));
            baseline.add(v);
            labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1f : 0f;
        }
        var signature = XGBoostTrainer.signature(FEATURES.stream().map(f -> Field.of(f, FeatureType.FLOAT64)).toList(), Map.of());
        var trained = XGBoostTrainer.train(signature, rows, labels, Map.of("objective", "binary:logistic", "max_depth", 4), 30, 1);
        Path model = dir.resolve("model.json");
        Files.write(model, trained.modelJson());
        ModelRegistry registry = FileModelRegistry.open(dir.resolve("registry"));
        registry.register(new RegisterRequest("bench", model, ModelFormat.XGBOOST, Optional.of(trained.signature()), Provenance.none(),
                List.of(), "bench", "monitoring overhead"));
        BaselineStore.in(dir.resolve("on")).save("bench", 1, baseline.snapshot(), false);

        try (FerryServer off = server(registry, dir.resolve("off"), false);
             FerryServer on = server(registry, dir.resolve("on"), true)) {
            compare(off, on, random, seconds, threads, rounds);
        } finally {
            registry.close();
        }
        perRecord(baseline.snapshot());
    }

    private static void compare(FerryServer off, FerryServer on, Random random, int seconds, int threads, int rounds)
            throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            StringBuilder b = new StringBuilder("{\"features\": {");
            for (int f = 0; f < FEATURES.size(); f++) {
                b.append(f == 0 ? "" : ", ").append('"').append(FEATURES.get(f)).append("\": ").append(random.nextGaussian());
            }
            bodies.add(b.append("}}").toString());
        }
        System.out.printf(Locale.ROOT, "warm-up: %d s per server%n", seconds);
        load(off, bodies, threads, seconds);
        load(on, bodies, threads, seconds);
        double sumOff = 0;
        double sumOn = 0;
        for (int r = 0; r < rounds; r++) {
            double a = load(off, bodies, threads, seconds);
            double b = load(on, bodies, threads, seconds);
            sumOff += a;
            sumOn += b;
            System.out.printf(Locale.ROOT, "round %d: monitoring off %.0f req/s, on %.0f req/s (%+.1f%%)%n", r + 1, a, b, 100 * (b / a - 1));
        }
        DeploymentMonitor m = on.monitor().orElseThrow();
        on.engine().awaitLogWritten();
        m.awaitProcessed();
        System.out.printf(Locale.ROOT, "mean: off %.0f req/s, on %.0f req/s, change %+.1f%%; monitor dropped %.0f records%n",
                sumOff / rounds, sumOn / rounds, 100 * (sumOn / sumOff - 1),
                on.engine().meterRegistry().counter("ferry.monitor.dropped").count());
    }

    private static FerryServer server(ModelRegistry registry, Path dataDir, boolean monitoring) throws InterruptedException {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dataDir).budget(Duration.ofSeconds(5))
                .set("monitoring.enabled", Boolean.toString(monitoring)).set("monitoring.window", "1m")
                .deployment("bench", Map.of("model", "bench", "version", "1")).build();
        FerryServer s = FerryServer.builder().config(config).registry(registry).build().start();
        if (!s.awaitStartup().isEmpty()) {
            throw new IllegalStateException("deployment failed: " + s.awaitStartup());
        }
        return s;
    }

    /** Closed-loop load for {@code seconds}: each thread sends its next request when the last answered. */
    private static double load(FerryServer server, List<String> bodies, int threads, int seconds) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/predict/bench");
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder retried = new LongAdder();
        java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            workers.add(Thread.ofPlatform().start(() -> {
                int i = first;
                while (!stop.get()) {
                    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i++ % bodies.size()))).build();
                    try {
                        HttpResponse<String> r = send(client, req, retried);
                        if (r.statusCode() == 200) {
                            ok.increment();
                        } else {
                            failed.increment();
                            firstFailure.compareAndSet(null, r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failed.increment();
                        firstFailure.compareAndSet(null, e.toString());
                    }
                }
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (failed.sum() > 0) {
            throw new IllegalStateException(failed.sum() + " requests failed, the first with " + firstFailure.get());
        }
        client.close();
        if (retried.sum() > 0) {
            System.out.printf(Locale.ROOT, "  (%d requests resent after the server closed an idle connection)%n", retried.sum());
        }
        return ok.sum() / elapsed;
    }

    /** Sends, resending up to twice when a kept-alive connection was closed before any answer byte. */
    private static HttpResponse<String> send(HttpClient client, HttpRequest req, LongAdder retried) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return client.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                if (attempt == 2 || !String.valueOf(e.getMessage()).contains("received no bytes")) {
                    throw e;
                }
                retried.increment();
            }
        }
    }

    /** Nanoseconds per record: the accumulator alone, then the whole monitor (queue, window, type checks, profiles). */
    private static void perRecord(dev.ferry.monitoring.profile.DatasetProfile baseline) throws InterruptedException {
        Random random = new Random(7);
        List<Map<String, Object>> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            FEATURES.forEach(f -> v.put(f, random.nextGaussian()));
            values.add(v);
        }
        int n = 2_000_000;
        for (int pass = 0; pass < 3; pass++) {
            ProfileAccumulator acc = ProfileAccumulator.inferring();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                acc.add(values.get(i % values.size()));
            }
            double ns = (System.nanoTime() - t0) / (double) n;
            System.out.printf(Locale.ROOT, "accumulator pass %d: %.0f ns per record of %d features%n", pass + 1, ns, FEATURES.size());
        }
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<PredictionRecord> records = new ArrayList<>();
        for (Map<String, Object> v : values) {
            records.add(new PredictionRecord("r", at, "bench", "main", "bench", 1, false, AnswerSource.MODEL, false, Map.of(),
                    new Row(v), new Row(Map.of("probabilities", List.of(0.4, 0.6)))));
        }
        for (int pass = 0; pass < 3; pass++) {
            try (DeploymentMonitor monitor = new DeploymentMonitor(new WatchConfig(Duration.ofHours(1), WatchConfig.defaultRules(),
                    Optional.empty(), n), (model, version) -> baseline, new SimpleMeterRegistry(),
                    Clock.fixed(at, java.time.ZoneOffset.UTC))) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n / records.size(); i++) {
                    monitor.write(records);
                }
                monitor.awaitProcessed();
                double ns = (System.nanoTime() - t0) / (double) n;
                System.out.printf(Locale.ROOT, "monitor pass %d: %.0f ns per record (write, queue, type checks, profiles)%n", pass + 1, ns);
            }
        }
    }
}
