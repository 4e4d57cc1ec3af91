package dev.ferry.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureStatus;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ViewPointers;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.serving.OnlineFeatures;
import dev.ferry.testkit.RedisServer;
import dev.ferry.types.Row;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Publishing batch answers online under a new version: readers going through the
 * {@link OnlineFeatures} read API while a new version is written see the complete old answers or
 * the complete new ones, never a mix; rollback, retention and a failed run leave the served
 * version intact. Run against RocksDB and a real Redis.
 */
class OnlineVersionSwitchTest {

    static final int ROWS = 2_000;
    static final String VIEW = "risk_scores";

    @TempDir
    static Path dir;

    static Fixture first;
    static Fixture second;
    static ModelRegistry registry;
    static List<Row> table;
    static float[] v1;
    static float[] v2;

    @BeforeAll
    static void trainTwoVersions() throws Exception {
        first = Fixture.train(dir.resolve("models"), 20, 0.0);
        second = Fixture.train(dir.resolve("models"), 20, 1.5);
        registry = Fixture.registry(dir);
        first.register(registry, "risk");
        second.register(registry, "risk");
        table = Fixture.rows(ROWS, 3, 1);
        v1 = first.xgboost(table);
        v2 = second.xgboost(table);
    }

    @AfterAll
    static void close() throws Exception {
        registry.close();
    }

    static List<Arguments> stores() {
        Function<Path, OnlineStore> rocks = d -> RocksDbOnlineStore.open(d.resolve("rocks-" + System.nanoTime()), Clock.systemUTC());
        Function<Path, OnlineStore> redis = d -> RedisOnlineStore.connect(
                RedisOnlineStoreConfig.standalone(RedisServer.shared().uri()).withKeyPrefix(RedisServer.shared().newKeyPrefix())
                        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10)),
                Clock.systemUTC());
        return List.of(Arguments.of("rocksdb", rocks), Arguments.of("redis", redis));
    }

    static BatchSpec spec(String version, TableSource source, int retain) {
        return BatchSpec.builder(source, "risk", version).keyColumns(List.of("id")).onlineView(VIEW).chunkRows(50).workers(2)
                .retainVersions(retain).build();
    }

    static TableSource table() {
        return TableSource.of("memory", () -> table.stream());
    }

    /** Which version an answer came from: 1 or 2, or -1 for anything else (a mix, a gap). */
    static int versionOf(OnlineFeatures.Response r) {
        boolean all1 = true;
        boolean all2 = true;
        Set<Instant> times = new HashSet<>();
        for (int i = 0; i < ROWS; i++) {
            FeatureValue v = r.get(i, "probabilities");
            if (v.status() != FeatureStatus.PRESENT) {
                return -1;
            }
            times.add(v.eventTime().orElseThrow());
            float p = ((float[]) v.value())[1];
            all1 &= Math.abs(p - v1[i]) < 1e-6;
            all2 &= Math.abs(p - v2[i]) < 1e-6;
        }
        if (times.size() != 1) {
            return -1;
        }
        return all1 ? 1 : all2 ? 2 : -1;
    }

    static OnlineFeatures.Response readAll(OnlineFeatures features) {
        List<Object> ids = new ArrayList<>();
        table.forEach(r -> ids.add(r.get("id")));
        return features.get(List.of(VIEW + ":probabilities"), Map.of("id", ids), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void readersDuringAWriteSeeTheWholeOldOrTheWholeNewVersionAndRollbackRestoresTheOld(String name, Function<Path, OnlineStore> open)
            throws Exception {
        try (OnlineStore store = open.apply(dir)) {
            BatchJob job = BatchJob.with(registry, store, Clock.systemUTC());
            ViewPointers pointers = ViewPointers.in(store, Clock.systemUTC());
            OnlineFeatures features = new OnlineFeatures(store, List.of(), List.of(), pointers);

            BatchResult r1 = job.run(spec("1", table(), 3), BatchProgress.none());
            assertThat(r1.target()).contains(VIEW + "@1");
            assertThat(versionOf(readAll(features))).isEqualTo(1);
            assertThat(pointers.names()).contains(VIEW);

            AtomicBoolean writing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread reader = new Thread(() -> {
                    while (writing.get() && reads.incrementAndGet() < 10_000) {
                        seen.add(versionOf(readAll(features)));
                    }
                });
                reader.start();
                readers.add(reader);
            }
            try {
                job.run(spec("2", table(), 3), BatchProgress.none());
            } finally {
                writing.set(false);
                for (Thread reader : readers) {
                    reader.join();
                }
            }
            assertThat(seen).as("every answer read during the write").isNotEmpty().allMatch(v -> v == 1 || v == 2);
            assertThat(versionOf(readAll(features))).isEqualTo(2);
            assertThat(pointers.get(VIEW).orElseThrow().retained()).containsExactly(1L, 2L);

            assertThat(pointers.rollback(VIEW).version()).isEqualTo(1);
            assertThat(versionOf(readAll(features))).as("after rollback").isEqualTo(1);
            assertThat(pointers.switchTo(VIEW, 2).version()).isEqualTo(2);
            assertThat(versionOf(readAll(features))).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aRunThatFailsHalfWayKeepsTheServedVersionAndLeavesNothingOfItself(String name, Function<Path, OnlineStore> open) {
        try (OnlineStore store = open.apply(dir)) {
            BatchJob job = BatchJob.with(registry, store, Clock.systemUTC());
            ViewPointers pointers = ViewPointers.in(store, Clock.systemUTC());
            OnlineFeatures features = new OnlineFeatures(store, List.of(), List.of(), pointers);
            job.run(spec("1", table(), 3), BatchProgress.none());

            TableSource broken = TableSource.of("breaks at row 1500", () -> Stream.iterate(0, i -> i + 1).limit(ROWS).map(i -> {
                if (i == 1_500) {
                    throw new dev.ferry.UnavailableException("the source went away at row 1500");
                }
                return table.get(i);
            }));
            assertThatThrownBy(() -> job.run(spec("2", broken, 3), BatchProgress.none())).hasMessageContaining("went away");

            assertThat(pointers.get(VIEW).orElseThrow().version()).isEqualTo(1);
            assertThat(versionOf(readAll(features))).isEqualTo(1);
            assertThat(store.read(VIEW + "@2", List.of(EntityKey.of(1L)), List.of("probabilities")).get(0).get("probabilities").status())
                    .as("the half-written version was dropped").isEqualTo(FeatureStatus.NOT_FOUND);

            job.run(spec("2", table(), 3), BatchProgress.none());
            assertThat(pointers.get(VIEW).orElseThrow().version()).as("the next run reuses the free version").isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void retentionDropsVersionsBeyondTheLimitAfterTheSwitch(String name, Function<Path, OnlineStore> open) {
        try (OnlineStore store = open.apply(dir)) {
            BatchJob job = BatchJob.with(registry, store, Clock.systemUTC());
            ViewPointers pointers = ViewPointers.in(store, Clock.systemUTC());
            for (String model : List.of("1", "2", "1")) {
                job.run(spec(model, table(), 2), BatchProgress.none());
            }
            ViewPointers.Pointer p = pointers.get(VIEW).orElseThrow();
            assertThat(p.version()).isEqualTo(3);
            assertThat(p.retained()).containsExactly(2L, 3L);
            assertThat(store.read(VIEW + "@1", List.of(EntityKey.of(1L)), List.of("probabilities")).get(0).get("probabilities").status())
                    .isEqualTo(FeatureStatus.NOT_FOUND);
            float stored = ((float[]) store.read(VIEW + "@2", List.of(EntityKey.of(1L)), List.of("probabilities")).get(0)
                    .get("probabilities").value())[1];
            assertThat((double) stored).isCloseTo(v2[0], within(1e-6));
            assertThat(pointers.rollback(VIEW).version()).isEqualTo(2);
            assertThatThrownBy(() -> pointers.rollback(VIEW)).hasMessageContaining("no older version is retained");
        }
    }
}
