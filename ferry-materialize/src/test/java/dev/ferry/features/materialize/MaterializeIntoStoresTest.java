package dev.ferry.features.materialize;

import dev.ferry.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.features.OfflineStore;
import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Materialization into each real online store: the in-memory reference, RocksDB on disk, and a
 * real Redis (embedded, or the one FERRY_TEST_REDIS_URL names). Each must end up holding the
 * latest row of every entity as computed in plain Java, and a second run must change nothing.
 */
class MaterializeIntoStoresTest {

    static final int DRIVERS = 2_000;

    @TempDir
    Path dir;

    static List<Arguments> stores() {
        Function<Path, OnlineStore> memory = d -> new InMemoryOnlineStore(java.time.Clock.systemUTC());
        Function<Path, OnlineStore> rocks = d -> RocksDbOnlineStore.open(d.resolve("rocks"), java.time.Clock.systemUTC());
        Function<Path, OnlineStore> redis = d -> RedisOnlineStore.connect(
                RedisOnlineStoreConfig.standalone(RedisServer.shared().uri()).withKeyPrefix(RedisServer.shared().newKeyPrefix())
                        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10)),
                java.time.Clock.systemUTC());
        return List.of(Arguments.of("memory", memory), Arguments.of("rocksdb", rocks), Arguments.of("redis", redis));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void everyStoreEndsWithTheLatestRowPerEntityAndASecondRunChangesNothing(String name, Function<Path, OnlineStore> open) throws Exception {
        TripsFixture fixture = new TripsFixture(dir);
        fixture.append(20_000, DRIVERS, TripsFixture.T0, Duration.ofDays(30));
        MutableClock clock = new MutableClock(TripsFixture.T0.plus(Duration.ofDays(30)));
        fixture.apply(clock);
        List<Long> progress = new ArrayList<>();
        try (OfflineStore offline = OfflineStore.open(fixture.registry, clock); OnlineStore online = open.apply(dir)) {
            Materializer m = Materializer.builder().registry(fixture.registry).offline(offline).online(online)
                    .watermarks(Watermarks.in(fixture.registryDir)).clock(clock).build();

            MaterializationResult first = m.materializeIncremental("driver_trips", (done, total) -> progress.add(done));
            OnlineSnapshot.assertMatches(online, "driver_trips@1", fixture, DRIVERS);
            Map<Long, ?> before = OnlineSnapshot.read(online, "driver_trips@1", DRIVERS);

            MaterializationResult again = m.materialize("driver_trips", Materializer.BEGINNING, clock.instant(), ProgressListener.NONE);

            assertThat(first.rows()).isEqualTo(fixture.latest.size());
            assertThat(again.rows()).isEqualTo(first.rows());
            assertThat(OnlineSnapshot.read(online, "driver_trips@1", DRIVERS)).isEqualTo(before);
            assertThat(progress.getLast()).isEqualTo(first.rows());
            System.out.printf("materialize %s: %d rows in %d ms (%.0f rows/s)%n", name, first.rows(),
                    first.elapsed().toMillis(), first.rowsPerSecond());
            online.dropView("driver_trips@1");
        }
    }
}
