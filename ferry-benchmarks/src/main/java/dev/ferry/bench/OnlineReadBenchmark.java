package dev.ferry.bench;

import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.testkit.RedisServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Online read latency: N entities x 50 features from RocksDB and from Redis through Ferry, and the
 * same keys read from Redis with one bare Lettuce MGET (no decoding), so the Ferry/bare
 * ratio shows what the store adds over the wire. Redis is the embedded testkit server unless
 * FERRY_TEST_REDIS_URL names one. {@link OnlineFeaturesBenchmark} adds the read API and HTTP on top
 * of the same stores (its fields are package-private for that).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OnlineReadBenchmark {

    static final String VIEW = "bench_view@1";
    static final int FEATURES = 50;
    private static final int STORED_ENTITIES = 1000;

    @Param({"1", "100"})
    public int entities;

    private Path rocksDir;
    OnlineStore rocks;
    OnlineStore redis;
    private RedisServer redisServer;
    private String prefix;
    private RedisClient bareClient;
    private StatefulRedisConnection<byte[], byte[]> bare;
    private RedisAsyncCommands<byte[], byte[]> bareAsync;
    List<EntityKey> keys;
    List<String> features;
    private byte[][] bareKeys;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        features = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) {
            features.add("feature_" + f);
        }
        List<OnlineRecord> records = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int e = 0; e < STORED_ENTITIES; e++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int f = 0; f < FEATURES; f++) {
                values.put(features.get(f), e * 0.5 + f);
            }
            records.add(new OnlineRecord(EntityKey.of((long) e), values, t));
        }
        Clock clock = Clock.systemUTC();
        rocksDir = Files.createTempDirectory("ferry-bench-rocks");
        rocks = RocksDbOnlineStore.open(rocksDir, clock);
        rocks.write(VIEW, records);

        redisServer = RedisServer.shared();
        prefix = redisServer.newKeyPrefix();
        redis = RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redisServer.uri()).withKeyPrefix(prefix), clock);
        redis.write(VIEW, records);

        keys = new ArrayList<>();
        bareKeys = new byte[entities][];
        for (int i = 0; i < entities; i++) {
            long id = (i * 7919L) % STORED_ENTITIES;
            keys.add(EntityKey.of(id));
            bareKeys[i] = (prefix + "e:" + VIEW + ":{" + EntityKey.of(id).canonical() + "}").getBytes(StandardCharsets.UTF_8);
        }
        bareClient = RedisClient.create(redisServer.uri());
        bare = bareClient.connect(ByteArrayCodec.INSTANCE);
        bare.setAutoFlushCommands(false);
        bareAsync = bare.async();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        rocks.close();
        redis.close();
        bare.close();
        bareClient.shutdown();
        redisServer.deleteKeys(prefix);
        try (Stream<Path> files = Files.walk(rocksDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public List<EntityFeatures> rocksdb() {
        return rocks.read(VIEW, keys, features);
    }

    @Benchmark
    public List<EntityFeatures> redis() {
        return redis.read(VIEW, keys, features);
    }

    /** The same keys as the store's read, one MGET sent by Lettuce directly, values not decoded. */
    @Benchmark
    public void bareLettuceMget(Blackhole bh) throws Exception {
        bh.consume(bareRead());
    }

    /** One MGET of the store's keys on a connection of its own, values as Redis sent them. */
    List<KeyValue<byte[], byte[]>> bareRead() throws Exception {
        RedisFuture<List<KeyValue<byte[], byte[]>>> f = bareAsync.mget(bareKeys);
        bare.flushCommands();
        return f.get(1, TimeUnit.SECONDS);
    }
}
