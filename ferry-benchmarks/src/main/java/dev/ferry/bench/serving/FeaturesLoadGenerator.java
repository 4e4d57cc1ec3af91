package dev.ferry.bench.serving;

import dev.ferry.bench.serving.LoadClient.Result;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.OnlineFeatures;
import dev.ferry.serving.OnlineStoreFeatureFetcher.OnlineView;
import dev.ferry.testkit.RedisServer;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.io.IOException;
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

/**
 * Open-loop HTTP load on {@code POST /v1/features} (Feast's get-online-features shape): 1 entity
 * and 100 entities x 50 float64 features, from RocksDB and from Redis, each at a fixed rate, the
 * client in a JVM of its own ({@link LoadClient}) and each latency taken from the request's
 * scheduled send time. {@code OnlineFeaturesBenchmark} measures the same reads back to back in one
 * JVM (latency at saturation); this measures them as a service sees them, at a stated load. Redis is
 * the one named by {@code FERRY_TEST_REDIS_URL}, else an embedded one; only 127.0.0.1 is called.
 *
 * <pre>java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' \
 *     dev.ferry.bench.serving.FeaturesLoadGenerator [seconds per phase, default 60] [1 x 50 rate/s, default 1000] [100 x 50 rate/s, default 200]</pre>
 */
public final class FeaturesLoadGenerator {

    private static final String VIEW = "bench_view";
    private static final int FEATURES = 50;
    private static final int STORED = 1_000;

    private FeaturesLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int oneRate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int hundredRate = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        if (seconds < 1 || seconds > 600 || oneRate < 1 || oneRate > 20_000 || hundredRate < 1 || hundredRate > 20_000) {
            throw new IllegalArgumentException("seconds must be 1..600 and rates 1..20000; got " + List.of(args));
        }
        Path dir = Files.createTempDirectory("ferry-features-load-");
        List<String> features = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) {
            features.add("feature_" + f);
        }
        List<OnlineRecord> records = new ArrayList<>();
        Instant t = Instant.now().minusSeconds(60);
        for (int e = 0; e < STORED; e++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int f = 0; f < FEATURES; f++) {
                values.put(features.get(f), e * 0.5 + f);
            }
            records.add(new OnlineRecord(EntityKey.of((long) e), values, t));
        }
        Path one = bodies(dir.resolve("one.jsonl"), features, 1);
        Path hundred = bodies(dir.resolve("hundred.jsonl"), features, 100);
        List<String> report = new ArrayList<>();
        report.add("load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim() + "; phase " + seconds
                + " s; client in its own JVM");
        try (LoadClient.Child client = new LoadClient.Child()) {
            try (OnlineStore rocks = RocksDbOnlineStore.open(dir.resolve("rocks"), Clock.systemUTC())) {
                rocks.write(VIEW + "@1", records);
                measure("rocksdb", rocks, features, dir, client, one, hundred, seconds, oneRate, hundredRate, report);
            }
            RedisServer redisServer = RedisServer.shared();
            String prefix = redisServer.newKeyPrefix();
            try (OnlineStore redis = RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redisServer.uri()).withKeyPrefix(prefix),
                    Clock.systemUTC())) {
                redis.write(VIEW + "@1", records);
                measure("redis", redis, features, dir, client, one, hundred, seconds, oneRate, hundredRate, report);
            } finally {
                redisServer.deleteKeys(prefix);
            }
        }
        report.add("load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println();
        report.forEach(System.out::println);
        System.exit(0);
    }

    private static void measure(String name, OnlineStore store, List<String> features, Path dir, LoadClient.Child client,
                                Path one, Path hundred, int seconds, int oneRate, int hundredRate, List<String> report)
            throws IOException {
        OnlineView view = new OnlineView(VIEW, VIEW + "@1", List.of(Field.required("entity_id", FeatureType.INT64)), features,
                Optional.of(Duration.ofDays(3650)));
        OnlineFeatures api = new OnlineFeatures(store, List.of(view), List.of());
        try (FerryServer server = FerryServer.builder()
                .config(ServerConfig.builder().host("127.0.0.1").port(0).adminToken("bench-admin-token-0123456789")
                        .dataDir(dir.resolve(name + "-server")).build())
                .registry(FileModelRegistry.open(dir.resolve(name + "-registry")))
                .onlineFeatures(api).build().start()) {
            String url = "http://127.0.0.1:" + server.port() + "/v1/features";
            client.run(LoadClient.Phase.of("warm-up " + name, url, hundred, hundredRate, Math.min(15, seconds)));
            Result r1 = client.run(LoadClient.Phase.of("1 x 50 " + name, url, one, oneRate, seconds)).requests();
            Result r100 = client.run(LoadClient.Phase.of("100 x 50 " + name, url, hundred, hundredRate, seconds)).requests();
            report.add(String.format(Locale.ROOT, "%-22s %s (%d/s)", "1 x 50 " + name, r1, oneRate));
            report.add(String.format(Locale.ROOT, "%-22s %s (%d/s)", "100 x 50 " + name, r100, hundredRate));
        }
    }

    private static Path bodies(Path file, List<String> features, int entities) throws IOException {
        StringBuilder refs = new StringBuilder();
        for (String f : features) {
            refs.append(refs.isEmpty() ? "" : ",").append('"').append(VIEW).append(':').append(f).append('"');
        }
        List<String> lines = new ArrayList<>();
        for (int b = 0; b < 1_000; b++) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < entities; i++) {
                ids.add((b * 7919L + i * 31L) % STORED);
            }
            lines.add("{\"features\": [" + refs + "], \"entities\": {\"entity_id\": " + ids + "}, \"full_feature_names\": false}");
        }
        return Files.write(file, lines);
    }
}
