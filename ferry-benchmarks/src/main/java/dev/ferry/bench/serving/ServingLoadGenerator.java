package dev.ferry.bench.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bench.serving.LoadClient.Result;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop HTTP load against a real Ferry server serving the click-through GBDT (100 trees, 20
 * features, two views): requests are sent at a fixed rate whatever the answers' latency, and each
 * latency is measured from the request's scheduled time (no coordinated omission). Measures
 * {@code /v1/predict} from RocksDB and from Redis, {@code /v1/rank} with 100 candidates, predict
 * during repeated hot swaps, and, in the same run, the parts alone: an HTTP round trip of
 * {@code /v2/health/live}, the two online-store reads, and the model call. Only ever talks to
 * 127.0.0.1; every phase is bounded in requests and in time. Redis is the one named by
 * {@code FERRY_TEST_REDIS_URL}, else an embedded one. Each phase's HTTP client runs in a JVM of its
 * own ({@link LoadClient}), as a real caller would, unless {@code -Dferry.bench.client=jvm}; the
 * predict phases follow {@code -Dferry.bench.warmup} seconds of warm-up (default 15), and
 * {@code -Dferry.bench.only=swap} runs the hot-swap comparison alone.
 *
 * <pre>java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' \
 *     dev.ferry.bench.serving.ServingLoadGenerator [seconds per phase, default 20] [predict rate/s, default 1000]</pre>
 */
public final class ServingLoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SWAP_ROUNDS = 6;

    private final int seconds;
    private final int rate;
    private final int warmUpSeconds;
    private final boolean swapOnly = "swap".equals(System.getProperty("ferry.bench.only", ""));
    private final boolean clientInChildJvm = !"jvm".equals(System.getProperty("ferry.bench.client", "process"));
    private final List<String> report = new ArrayList<>();
    private LoadClient.Child client;

    private ServingLoadGenerator(int seconds, int rate) {
        this.seconds = seconds;
        this.rate = rate;
        this.warmUpSeconds = Integer.getInteger("ferry.bench.warmup", Math.min(15, seconds));
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
                + "; phase: " + seconds + " s after " + warmUpSeconds + " s of warm-up; predict rate: " + rate + "/s; client: "
                + (clientInChildJvm ? "its own JVM" : "the server's JVM"));
        CtrServing.Models models = CtrServing.train(dir.resolve("trained"), 7);
        try (ModelRegistry registry = FileModelRegistry.open(dir.resolve("trained/registry"))) {
            try (OnlineStore rocks = RocksDbOnlineStore.open(dir.resolve("online"), Clock.systemUTC())) {
                models.scenario().materialize(rocks);
                servedFrom("rocksdb", dir.resolve("server-rocksdb"), registry, rocks, models, true);
            }
            if (!swapOnly) {
                // the Redis named by FERRY_TEST_REDIS_URL (a real server) or an embedded one
                try (RedisServer redis = RedisServer.shared();
                     OnlineStore store = RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redis.uri()), Clock.systemUTC())) {
                    models.scenario().materialize(store);
                    servedFrom("redis", dir.resolve("server-redis"), registry, store, models, false);
                }
            }
        }
        if (client != null) {
            client.close();
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
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("entity", Map.of("user_id", user(i), "item_id", item(i)));
                body.put("features", scenario.requestFeatures(i));
                bodies.add(JSON.writeValueAsString(body));
            }
            Path predictBodies = Files.write(dir.resolve("predict-bodies.jsonl"), bodies);
            String predict = base + "/v1/predict/" + CtrServing.PLAIN;

            phase(LoadClient.Phase.of("warm-up " + name, predict, predictBodies, rate, warmUpSeconds));
            if (swapOnly) {
                // -Dferry.bench.only=swap: the hot-swap comparison alone, from the embedded store
                hotSwap(name, base, predict, predictBodies);
                return;
            }
            Timers before = Timers.of(server);
            Result steady = phase(LoadClient.Phase.of("predict " + name, predict, predictBodies, rate, seconds)).requests();
            Timers stages = Timers.of(server).minus(before);
            Result health = phase(LoadClient.Phase.of("health " + name, base + "/v2/health/live", null, rate, seconds)).requests();
            Result bare;
            // the bare server answers with one of Ferry's own answers, so both send the same bytes back
            try (BareHttp echo = BareHttp.start(BareHttp.post(predict, bodies.get(0)))) {
                bare = phase(LoadClient.Phase.of("bare post " + name, echo.url(), predictBodies, rate, seconds)).requests();
            }
            Histogram storeRead = storeReads(store, 20_000);
            Histogram modelCall = modelCalls(registry, scenario, 20_000);
            Histogram[] paced = pacedParts(store, registry, scenario, Math.min(20_000, rate * seconds), rate);
            line(String.format(Locale.ROOT, "%-28s %s", "predict " + name, steady));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts: http POST, bare", bare));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts: http /v2/health/live", health));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts: store read (2 views)", Result.nanos(storeRead)));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts: model call alone", Result.nanos(modelCall)));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts at " + rate + "/s: store read", Result.nanos(paced[0])));
            line(String.format(Locale.ROOT, "%-28s %s", "  parts at " + rate + "/s: model call", Result.nanos(paced[1])));
            double pacedInner = paced[0].getValueAtPercentile(50) / 1e6 + paced[1].getValueAtPercentile(50) / 1e6;
            line(String.format(Locale.ROOT, "  Ferry p50 / sum of parts' p50 = %.3f / %.3f ms = %.2fx (HTTP part: the same POST to a bare server; store read and model call at %d/s)",
                    steady.p50(), bare.p50() + pacedInner, steady.p50() / (bare.p50() + pacedInner), rate));
            double inner = storeRead.getValueAtPercentile(50) / 1e6 + modelCall.getValueAtPercentile(50) / 1e6;
            line(String.format(Locale.ROOT, "  Ferry p50 / sum of parts' p50 = %.3f / %.3f ms = %.2fx (HTTP part: the same POST to a bare server; store read and model call back to back)",
                    steady.p50(), bare.p50() + inner, steady.p50() / (bare.p50() + inner)));
            line(String.format(Locale.ROOT, "  Ferry p50 / sum of parts' p50 = %.3f / %.3f ms = %.2fx (HTTP part: GET /v2/health/live; store read and model call back to back)",
                    steady.p50(), health.p50() + inner, steady.p50() / (health.p50() + inner)));
            line("  engine stage means during the predict phase: " + stages);
            inProcess(server, store, registry, scenario);
            if (!full) {
                return;
            }
            List<String> candidates = new ArrayList<>();
            for (int item = 1; item <= 100; item++) {
                candidates.add(Long.toString(item));
            }
            List<String> ranks = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                ranks.add(JSON.writeValueAsString(Map.of("entity", Map.of("user_id", 1 + i % CtrScenario.USERS),
                        "candidate_key", "item_id", "candidates", candidates, "k", 10, "features", scenario.requestFeatures(i))));
            }
            Path rankBodies = Files.write(dir.resolve("rank-bodies.jsonl"), ranks);
            int rankRate = Math.max(1, rate / 5);
            Result rank = phase(LoadClient.Phase.of("rank " + name, base + "/v1/rank/" + CtrServing.PLAIN, rankBodies, rankRate,
                    seconds)).requests();
            line(String.format(Locale.ROOT, "%-28s %s (%d/s, 100 candidates)", "rank " + name, rank, rankRate));
            hotSwap(name, base, predict, predictBodies);
        }
    }

    /**
     * The same load with and without one alias move a second (between versions 1 and 2; or, with
     * {@code -Dferry.bench.swap=refresh}, a refresh that changes nothing), in {@link #SWAP_ROUNDS}
     * rounds of both, ordered steady-swap then swap-steady in turn, so that a machine that warms up
     * or gets busier over the run weighs on both sides alike. Each side's p99 is taken over its
     * pooled rounds.
     */
    private void hotSwap(String name, String base, String predict, Path predictBodies) throws IOException, InterruptedException {
        String kind = System.getProperty("ferry.bench.swap", "alias");
        boolean refreshOnly = "refresh".equals(kind);
        boolean predictTick = "predict".equals(kind); // a control: one more predict request a second, no admin call
        boolean nothingSent = "none".equals(kind); // a control: the seconds are marked, nothing is sent
        String firstBody = Files.readAllLines(predictBodies).get(0);
        int roundSeconds = Math.max(2, seconds / SWAP_ROUNDS);
        Histogram steady = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        Histogram swapping = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        Histogram admin = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        Histogram nearMoves = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        long failed = 0;
        long degraded = 0;
        long unsent = 0;
        long moves = 0;
        List<String> rounds = new ArrayList<>();
        for (int round = 0; round < SWAP_ROUNDS; round++) {
            double[] p99 = new double[2];
            for (int k = 0; k < 2; k++) {
                boolean swap = (k == 0) == (round % 2 == 1);
                LoadClient.Phase phase = LoadClient.Phase.of((swap ? "predict hot swap " : "predict steady ") + name + " " + (round + 1),
                        predict, predictBodies, rate, roundSeconds);
                if (swap) {
                    if (nothingSent) {
                        phase = phase.withTicks("none", List.of("-"), "-");
                    } else if (predictTick) {
                        phase = phase.withTicks(predict, List.of(firstBody), CtrServing.ADMIN_TOKEN);
                    } else {
                        phase = phase.withTicks(refreshOnly ? base + "/v1/admin/refresh" : base + "/v1/admin/models/ctr/aliases/champion",
                                refreshOnly ? List.of("{}") : List.of("{\"version\": 2}", "{\"version\": 1}"), CtrServing.ADMIN_TOKEN);
                    }
                }
                LoadClient.Outcome o = phase(phase);
                (swap ? swapping : steady).add(o.latencies());
                p99[swap ? 1 : 0] = o.requests().p99();
                failed += o.requests().failed();
                degraded += o.requests().degraded();
                unsent += o.requests().unsent();
                if (swap) {
                    moves += o.ticks().count();
                    admin.add(o.tickLatencies());
                    nearMoves.add(o.nearTicks());
                }
            }
            rounds.add(String.format(Locale.ROOT, "%.2f", p99[1] / p99[0]));
        }
        LoadClient.Result steadyResult = LoadClient.Result.of(steady, 0, 0, 0, 1e3);
        LoadClient.Result swapResult = LoadClient.Result.of(swapping, failed, degraded, unsent, 1e3);
        line(String.format(Locale.ROOT, "%-28s %s (%d rounds of %d s)", "predict steady " + name, steadyResult, SWAP_ROUNDS, roundSeconds));
        line(String.format(Locale.ROOT, "%-28s %s (%d %s; failed, degraded and unsent count both sides)", "predict hot swap " + name,
                swapResult, moves, refreshOnly ? "refreshes" : predictTick ? "extra predict requests" : nothingSent ? "sent: none" : "alias moves"));
        line(String.format(Locale.ROOT, "%-28s %s", "  admin change itself", LoadClient.Result.of(admin, 0, 0, 0, 1e3)));
        line(String.format(Locale.ROOT, "%-28s %s", "  requests due <50 ms after", LoadClient.Result.of(nearMoves, 0, 0, 0, 1e3)));
        line(String.format(Locale.ROOT, "  hot-swap p99 / steady p99 = %.2fx pooled; by round: %s", swapResult.p99() / steadyResult.p99(),
                String.join(", ", rounds)));
    }

    private LoadClient.Outcome phase(LoadClient.Phase phase) throws IOException, InterruptedException {
        if (!clientInChildJvm) {
            return LoadClient.inThisJvm(phase);
        }
        if (client == null) {
            client = new LoadClient.Child();
        }
        return client.run(phase);
    }

    /**
     * Ferry as a library: the engine's predict called in this JVM, one request at a time, no HTTP,
     * interleaved in random order with its two parts (the store read of both views and the model
     * call on one row), so the ratio shows what the engine adds to them.
     */
    private void inProcess(FerryServer server, OnlineStore store, ModelRegistry registry, CtrScenario scenario) {
        int n = 20_000;
        List<dev.ferry.serving.PredictRequest> requests = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            requests.add(dev.ferry.serving.PredictRequest.of(Map.of("user_id", user(i), "item_id", item(i)), scenario.requestFeatures(i)));
        }
        List<Row> rows = modelRows(scenario);
        Histogram engine = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram reads = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram calls = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        java.util.Random random = new java.util.Random(3);
        try (Model model = RegistryModels.load(registry, CtrScenario.MODEL, "1")) {
            for (int i = -5_000; i < n; i++) {
                int at = Math.floorMod(i, 100);
                dev.ferry.serving.PredictRequest request = requests.get(at);
                int first = random.nextInt(3);
                for (int k = 0; k < 3; k++) {
                    int which = (first + k) % 3;
                    long t = System.nanoTime();
                    if (which == 0) {
                        dev.ferry.serving.Prediction p = server.engine().predict(CtrServing.PLAIN, request);
                        if (p.degraded()) {
                            throw new IllegalStateException("in-process predict was degraded: " + p);
                        }
                    } else if (which == 1) {
                        readBothViews(store, user(at), item(at));
                    } else {
                        model.predictRows(List.of(rows.get(at)));
                    }
                    if (i >= 0) {
                        (which == 0 ? engine : which == 1 ? reads : calls).recordValue(System.nanoTime() - t);
                    }
                }
            }
        }
        double parts = (reads.getValueAtPercentile(50) + calls.getValueAtPercentile(50)) / 1e6;
        line(String.format(Locale.ROOT, "%-28s %s", "  in process: engine predict", Result.nanos(engine)));
        line(String.format(Locale.ROOT, "  in process: engine p50 / (store read p50 + model call p50) = %.3f / %.3f ms = %.2fx",
                engine.getValueAtPercentile(50) / 1e6, parts, engine.getValueAtPercentile(50) / 1e6 / parts));
    }

    /** The two reads the fetcher makes for one request, timed together. */
    private static Histogram storeReads(OnlineStore store, int n) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            readBothViews(store, user(i), item(i));
            h.recordValue(System.nanoTime() - t);
        }
        return h;
    }

    /** Both views of one request in one call (one round trip on Redis), as the engine reads them. */
    private static void readBothViews(OnlineStore store, long user, long item) {
        store.readViews(List.of(
                new OnlineStore.ViewRead(CtrScenario.USER_VIEW + "@1", List.of(EntityKey.of(user)),
                        CtrScenario.views().get(0).features(), OnlineStore.NO_MAX_AGE),
                new OnlineStore.ViewRead(CtrScenario.ITEM_VIEW + "@1", List.of(EntityKey.of(item)),
                        CtrScenario.views().get(1).features(), OnlineStore.NO_MAX_AGE)));
    }

    /** The model's input rows of the first 100 request bodies, as the engine builds them. */
    private static List<Row> modelRows(CtrScenario scenario) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(scenario.row(user(i), item(i), scenario.requestFeatures(i)));
        }
        return rows;
    }

    /** The user and item of the {@code i}-th request body, the same in every phase. */
    private static long user(long i) {
        return 1 + (i * 7919L) % CtrScenario.USERS;
    }

    private static long item(long i) {
        return 1 + (i * 104_729L) % CtrScenario.ITEMS;
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

    /**
     * The store read and the model call of one request, timed apart but paced as the load is
     * ({@code rate} a second, each at its scheduled time), so that like the requests they run
     * on caches and cores that other work used in between, not back to back on hot caches.
     */
    private static Histogram[] pacedParts(OnlineStore store, ModelRegistry registry, CtrScenario scenario, int n, int rate) {
        Histogram reads = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram calls = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (Model model = RegistryModels.load(registry, CtrScenario.MODEL, "1")) {
            List<Row> rows = modelRows(scenario);
            long period = 1_000_000_000L / rate;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long intended = t0 + i * period;
                long now;
                while ((now = System.nanoTime()) < intended) {
                    LockSupport.parkNanos(intended - now);
                }
                readBothViews(store, user(i), item(i));
                long t = System.nanoTime();
                reads.recordValue(t - now);
                model.predictRows(List.of(rows.get(i % rows.size())));
                calls.recordValue(System.nanoTime() - t);
            }
        }
        return new Histogram[] {reads, calls};
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
