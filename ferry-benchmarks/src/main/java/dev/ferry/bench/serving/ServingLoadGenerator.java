package dev.ferry.bench.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.e2e.CtrScenario;
import dev.ferry.e2e.CtrServing;
import dev.ferry.model.Model;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.registry.store.RegistryModels;
import dev.ferry.server.FerryServer;
import dev.ferry.testkit.RedisServer;
import dev.ferry.types.Row;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop HTTP load against a real Ferry server serving the click-through GBDT (100 trees, 20
 * features, two views): requests are sent at a fixed rate whatever the answers' latency, and each
 * latency is measured from the request's scheduled time (no coordinated omission). Measures
 * {@code /v1/predict} from RocksDB and from Redis, {@code /v1/rank} with 100 candidates, predict
 * during repeated hot swaps, and, in the same run, the parts alone: an HTTP round trip of
 * {@code /v2/health/live}, the two online-store reads, and the model call. Only ever talks to
 * 127.0.0.1; every phase is bounded in requests and in time. Redis is the one named by
 * {@code FERRY_TEST_REDIS_URL}, else an embedded one.
 *
 * <pre>java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' \
 *     dev.ferry.bench.serving.ServingLoadGenerator [seconds per phase, default 20] [predict rate/s, default 1000]</pre>
 */
public final class ServingLoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_IN_FLIGHT = 2_000;

    private final int seconds;
    private final int rate;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final List<String> report = new ArrayList<>();

    private ServingLoadGenerator(int seconds, int rate) {
        this.seconds = seconds;
        this.rate = rate;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        if (seconds < 1 || seconds > 600 || rate < 1 || rate > 20_000) {
            throw new IllegalArgumentException("seconds must be 1..600 and rate 1..20000; got " + seconds + " and " + rate);
        }
        new ServingLoadGenerator(seconds, rate).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("ferry-load-");
        line("load average at start: " + loadAverage() + "; cores: " + Runtime.getRuntime().availableProcessors()
                + "; phase: " + seconds + " s; predict rate: " + rate + "/s");
        CtrServing.Models models = CtrServing.train(dir.resolve("trained"), 7);
        try (ModelRegistry registry = FileModelRegistry.open(dir.resolve("trained/registry"))) {
            try (OnlineStore rocks = RocksDbOnlineStore.open(dir.resolve("online"), Clock.systemUTC())) {
                models.scenario().materialize(rocks);
                servedFrom("rocksdb", dir.resolve("server-rocksdb"), registry, rocks, models, true);
            }
            // the Redis named by FERRY_TEST_REDIS_URL (a real server) or an embedded one
            try (RedisServer redis = RedisServer.shared();
                 OnlineStore store = RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redis.uri()), Clock.systemUTC())) {
                models.scenario().materialize(store);
                servedFrom("redis", dir.resolve("server-redis"), registry, store, models, false);
            }
        }
        line("load average at end: " + loadAverage());
        System.out.println();
        report.forEach(System.out::println);
    }

    private void servedFrom(String name, Path dir, ModelRegistry registry, OnlineStore store, CtrServing.Models models,
                            boolean full) throws Exception {
        try (FerryServer server = CtrServing.start(dir, registry, store, Duration.ofMillis(50), null)) {
            String base = "http://127.0.0.1:" + server.port();
            CtrScenario scenario = models.scenario();
            byte[][] bodies = new byte[10_000][];
            for (int i = 0; i < bodies.length; i++) {
                long user = 1 + (i * 7919L) % CtrScenario.USERS;
                long item = 1 + (i * 104_729L) % CtrScenario.ITEMS;
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("entity", Map.of("user_id", user, "item_id", item));
                body.put("features", scenario.requestFeatures(i));
                bodies[i] = JSON.writeValueAsBytes(body);
            }
            IntFunction<HttpRequest> predict = i -> post(base + "/v1/predict/" + CtrServing.PLAIN, bodies[i % bodies.length]);
            IntFunction<HttpRequest> live = i -> HttpRequest.newBuilder(URI.create(base + "/v2/health/live")).GET().build();

            openLoop("warm-up " + name, predict, rate, Math.min(5, seconds), null);
            Timers before = Timers.of(server);
            Result steady = openLoop("predict " + name, predict, rate, seconds, null);
            Timers stages = Timers.of(server).minus(before);
            Result health = openLoop("health " + name, live, rate, seconds, null);
            Histogram storeRead = storeReads(store, 20_000);
            Histogram modelCall = modelCalls(registry, scenario, 20_000);
            line(String.format(Locale.ROOT, "%-28s %s", "predict " + name, steady));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts: http /v2/health/live", health));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts: store read (2 views)", Result.nanos(storeRead)));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts: model call alone", Result.nanos(modelCall)));
            double parts = health.p50() + storeRead.getValueAtPercentile(50) / 1e6 + modelCall.getValueAtPercentile(50) / 1e6;
            line(String.format(Locale.ROOT, "  Ferry p50 / sum of parts' p50 = %.3f / %.3f ms = %.2fx", steady.p50(), parts,
                    steady.p50() / parts));
            line("  engine stage means during the predict phase: " + stages);
            if (!full) {
                return;
            }
            List<String> candidates = new ArrayList<>();
            for (int item = 1; item <= 100; item++) {
                candidates.add(Long.toString(item));
            }
            byte[][] ranks = new byte[1_000][];
            for (int i = 0; i < ranks.length; i++) {
                ranks[i] = JSON.writeValueAsBytes(Map.of("entity", Map.of("user_id", 1 + i % CtrScenario.USERS),
                        "candidate_key", "item_id", "candidates", candidates, "k", 10, "features", scenario.requestFeatures(i)));
            }
            int rankRate = Math.max(1, rate / 5);
            Result rank = openLoop("rank " + name, i -> post(base + "/v1/rank/" + CtrServing.PLAIN, ranks[i % ranks.length]),
                    rankRate, seconds, null);
            line(String.format(Locale.ROOT, "%-28s %s (%d/s, 100 candidates)", "rank " + name, rank, rankRate));
            Result steady2 = openLoop("predict steady " + name, predict, rate, seconds, null);
            AtomicLong swaps = new AtomicLong();
            Histogram swapTimes = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
            String action = System.getProperty("ferry.bench.swap", "alias");
            Result swapping = openLoop("predict hot swap " + name, predict, rate, seconds, elapsedMs -> {
                if (elapsedMs / 1_000 >= swaps.get() + 1) { // one alias move a second
                    long n = swaps.incrementAndGet();
                    HttpRequest change = switch (action) {
                        case "alias" -> HttpRequest.newBuilder(URI.create(base + "/v1/admin/models/ctr/aliases/champion"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"version\": " + (n % 2 == 1 ? 2 : 1) + "}")).build();
                        case "refresh" -> HttpRequest.newBuilder(URI.create(base + "/v1/admin/refresh"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
                        default -> HttpRequest.newBuilder(URI.create(base + "/v2/health/live")).GET().build();
                    };
                    long t = System.nanoTime();
                    http.sendAsync(HttpRequest.newBuilder(change, (k, v) -> true)
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + CtrServing.ADMIN_TOKEN).build(),
                            HttpResponse.BodyHandlers.discarding())
                            .whenComplete((r, e) -> swapTimes.recordValue((System.nanoTime() - t) / 1_000));
                }
            });
            line(String.format(Locale.ROOT, "%-28s %s", "  admin change (" + action + ")", Result.of(swapTimes, 0, 0, 0, 1e3)));
            line(String.format(Locale.ROOT, "%-28s %s", "predict steady " + name, steady2));
            line(String.format(Locale.ROOT, "%-28s %s (%d alias moves)", "predict hot swap " + name, swapping, swaps.get()));
            line(String.format(Locale.ROOT, "  hot-swap p99 / steady p99 = %.2fx", swapping.p99() / steady2.p99()));
        }
    }

    private static HttpRequest post(String uri, byte[] body) {
        return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** Latencies in ms; requests that failed (not 200), were answered degraded, or were not sent (too many in flight). */
    record Result(long count, long failed, long degraded, long unsent, double p50, double p90, double p99, double p999, double max) {
        /** {@code perMs}: histogram units in a millisecond (1e3 for micros, 1e6 for nanos). */
        static Result of(Histogram h, long failed, long degraded, long unsent, double perMs) {
            return new Result(h.getTotalCount(), failed, degraded, unsent, h.getValueAtPercentile(50) / perMs,
                    h.getValueAtPercentile(90) / perMs, h.getValueAtPercentile(99) / perMs,
                    h.getValueAtPercentile(99.9) / perMs, h.getMaxValue() / perMs);
        }

        static Result nanos(Histogram h) {
            return of(h, 0, 0, 0, 1e6);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d failed=%d degraded=%d unsent=%d  p50=%.3f p90=%.3f p99=%.3f p99.9=%.3f max=%.3f ms",
                    count, failed, degraded, unsent, p50, p90, p99, p999, max);
        }
    }

    /** Per-millisecond hook run by the scheduling thread (used to move the alias during a phase). */
    interface Tick {
        void at(long elapsedMs);
    }

    private Result openLoop(String phase, IntFunction<HttpRequest> requests, int perSecond, int secs, Tick tick)
            throws InterruptedException {
        ConcurrentHistogram h = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
        AtomicLong failed = new AtomicLong();
        AtomicLong degraded = new AtomicLong();
        AtomicLong unsent = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        long total = (long) perSecond * secs;
        long period = 1_000_000_000L / perSecond;
        long t0 = System.nanoTime();
        long lastTick = -1;
        for (int i = 0; i < total; i++) {
            long intended = t0 + i * period;
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            if (tick != null && (now - t0) / 1_000_000 != lastTick) {
                lastTick = (now - t0) / 1_000_000;
                tick.at(lastTick);
            }
            if (!inFlight.tryAcquire()) {
                unsent.incrementAndGet();
                continue;
            }
            http.sendAsync(requests.apply(i), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                long micros = (System.nanoTime() - intended) / 1_000;
                inFlight.release();
                if (e != null || r.statusCode() != 200) {
                    failed.incrementAndGet();
                } else if (degraded(r.body())) {
                    degraded.incrementAndGet();
                }
                h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
            });
        }
        if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 30, TimeUnit.SECONDS)) {
            System.err.println(phase + ": requests still in flight after 30 s");
        } else {
            inFlight.release(MAX_IN_FLIGHT);
        }
        return Result.of(h, failed.get(), degraded.get(), unsent.get(), 1e3);
    }

    private static boolean degraded(byte[] body) {
        return body.length > 0 && new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("\"degraded\":true");
    }

    /** The two reads the fetcher makes for one request, timed together. */
    private static Histogram storeReads(OnlineStore store, int n) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        List<String> userFeatures = CtrScenario.views().get(0).features();
        List<String> itemFeatures = CtrScenario.views().get(1).features();
        for (int i = 0; i < n; i++) {
            long user = 1 + (i * 7919L) % CtrScenario.USERS;
            long item = 1 + (i * 104_729L) % CtrScenario.ITEMS;
            long t = System.nanoTime();
            store.read(CtrScenario.USER_VIEW + "@1", List.of(EntityKey.of(user)), userFeatures);
            store.read(CtrScenario.ITEM_VIEW + "@1", List.of(EntityKey.of(item)), itemFeatures);
            h.recordValue(System.nanoTime() - t);
        }
        return h;
    }

    private static Histogram modelCalls(ModelRegistry registry, CtrScenario scenario, int n) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (Model model = RegistryModels.load(registry, CtrScenario.MODEL, "1")) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                rows.add(scenario.row(1 + i, 1 + i, scenario.requestFeatures(i)));
            }
            for (int i = 0; i < n; i++) {
                List<Row> one = List.of(rows.get(i % rows.size()));
                long t = System.nanoTime();
                model.predictRows(one);
                h.recordValue(System.nanoTime() - t);
            }
        }
        return h;
    }

    /** Sums of the engine's stage timers, to report where a request's time goes. */
    record Timers(Map<String, double[]> byStage) {
        static Timers of(FerryServer server) {
            Map<String, double[]> m = new LinkedHashMap<>();
            for (Timer t : server.engine().meterRegistry().find("ferry.serving.latency").tag("deployment", CtrServing.PLAIN).timers()) {
                String stage = t.getId().getTag("stage");
                double[] acc = m.computeIfAbsent(stage, s -> new double[2]);
                acc[0] += t.count();
                acc[1] += t.totalTime(TimeUnit.MICROSECONDS);
            }
            return new Timers(m);
        }

        Timers minus(Timers earlier) {
            Map<String, double[]> m = new LinkedHashMap<>();
            byStage.forEach((k, v) -> {
                double[] e = earlier.byStage.getOrDefault(k, new double[2]);
                m.put(k, new double[] {v[0] - e[0], v[1] - e[1]});
            });
            return new Timers(m);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            byStage.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%s %.3f ms  ", k, v[0] == 0 ? 0 : v[1] / v[0] / 1e3)));
            return b.toString().trim();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void line(String s) {
        System.out.println(s);
        report.add(s);
    }
}
