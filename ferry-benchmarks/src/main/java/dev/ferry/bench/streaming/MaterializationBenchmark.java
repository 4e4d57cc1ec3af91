package dev.ferry.bench.streaming;

import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.materialize.MaterializationResult;
import dev.ferry.features.materialize.Materializer;
import dev.ferry.features.materialize.Watermarks;
import dev.ferry.features.synthetic.SyntheticFeatures;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.testkit.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Materialization throughput (BENCHMARKS.md, "Feature store: materialization"): the latest row of
 * each of {@code users} entities, out of {@code rows} seeded synthetic Parquet rows, copied into
 * RocksDB or Redis (embedded, or FERRY_TEST_REDIS_URL). A load generator, not JMH: one run is
 * seconds long and dominated by I/O. Run:
 * {@code java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' dev.ferry.bench.streaming.MaterializationBenchmark rocksdb 1000000 200000}
 * (arguments: store {@code rocksdb|redis}, feature rows, entities; repeat runs print each).
 */
public final class MaterializationBenchmark {

    private MaterializationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String storeName = args.length > 0 ? args[0] : "rocksdb";
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path root = Path.of(System.getProperty("ferry.bench.dir", "target/bench-data"));
        SyntheticFeatures.Spec spec = new SyntheticFeatures.Spec(42, 1, 1, rows, users, Instant.parse("2024-01-01T00:00:00Z"),
                Duration.ofDays(365), Duration.ofDays(30));
        Path dir = root.resolve("materialize-" + rows + "-" + users);
        SyntheticFeatures.Dataset data = SyntheticFeatures.reuseOrGenerate(spec, dir);
        Path registryDir = Files.createTempDirectory("ferry-bench-registry");
        FeatureRegistry registry = FeatureRegistry.open(registryDir);
        registry.apply(data.repository());
        Instant end = spec.start().plus(spec.span()).plusSeconds(1);
        for (int run = 1; run <= runs; run++) {
            Path rocksDir = Files.createTempDirectory("ferry-bench-rocks");
            String prefix = "bench" + System.nanoTime() + ":";
            try (OfflineStore offline = OfflineStore.open(registry); OnlineStore online = open(storeName, rocksDir, prefix)) {
                Materializer m = Materializer.builder().registry(registry).offline(offline).online(online)
                        .watermarks(Watermarks.in(registryDir)).build();
                MaterializationResult r = m.materialize("view_0", Materializer.BEGINNING, end, (done, total) -> { });
                System.out.printf("materialize %s run %d: %d entities from %d rows in %d ms = %.0f rows/s%n",
                        storeName, run, r.rows(), rows, r.elapsed().toMillis(), r.rowsPerSecond());
                online.dropView(r.view());
            }
        }
        System.exit(0);
    }

    private static OnlineStore open(String name, Path rocksDir, String prefix) {
        return switch (name) {
            case "rocksdb" -> RocksDbOnlineStore.open(rocksDir, Clock.systemUTC());
            case "redis" -> RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(RedisServer.shared().uri()).withKeyPrefix(prefix),
                    Clock.systemUTC());
            default -> throw new IllegalArgumentException("store was '" + name + "' but it must be rocksdb or redis");
        };
    }
}
