package dev.ferry.online;

import dev.ferry.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NearCacheOnlineStoreTest extends OnlineStoreContract {

    private InMemoryOnlineStore backing;

    @Override
    protected OnlineStore newStore(MutableClock clock) {
        backing = new InMemoryOnlineStore(clock);
        return new NearCacheOnlineStore(backing, 10_000, Duration.ofSeconds(5), clock);
    }

    private NearCacheOnlineStore cached() {
        return (NearCacheOnlineStore) store;
    }

    @Test
    void aSecondReadOfTheSameEntityIsAHit() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1)));
        readOne(VIEW, "u1", "x");
        readOne(VIEW, "u1", "x");
        assertThat(cached().misses()).isEqualTo(1);
        assertThat(cached().hits()).isEqualTo(1);
    }

    @Test
    void aWriteElsewhereIsSeenOnceTheStalenessBoundHasPassed() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1)));
        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo(1);

        backing.write(VIEW, List.of(record("u1", T0.plusSeconds(1), "x", 2)));
        clock.advance(Duration.ofMillis(4999));
        assertThat(readOne(VIEW, "u1", "x").value()).as("within the bound").isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(readOne(VIEW, "u1", "x").value()).as("after the bound").isEqualTo(2);
    }

    @Test
    void addingFeaturesToACachedEntityDoesNotExtendItsLife() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1, "y", 1)));
        readOne(VIEW, "u1", "x");
        clock.advance(Duration.ofSeconds(4));
        readOne(VIEW, "u1", "y");
        backing.write(VIEW, List.of(record("u1", T0.plusSeconds(1), "x", 2)));
        clock.advance(Duration.ofSeconds(2));
        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo(2);
    }

    @Test
    void aWriteThroughTheCacheIsSeenAtOnce() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1)));
        readOne(VIEW, "u1", "x");
        store.write(VIEW, List.of(record("u1", T0.plusSeconds(1), "x", 2)));
        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo(2);
    }

    @Test
    void aKnownMissIsCachedToo() {
        readOne(VIEW, "ghost", "x");
        assertThat(readOne(VIEW, "ghost", "x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(cached().hits()).isEqualTo(1);
    }

    @Test
    void theNumberOfCachedEntitiesIsBounded() {
        NearCacheOnlineStore small = new NearCacheOnlineStore(new InMemoryOnlineStore(clock), 10, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 100; i++) {
            small.read(VIEW, List.of(EntityKey.of((long) i)), List.of("x"));
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
        small.close();
    }

    @Test
    void aNonPositiveSizeOrStalenessIsRefused() {
        assertThatThrownBy(() -> new NearCacheOnlineStore(backing, 0, Duration.ofSeconds(1), clock))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxEntities was 0");
        assertThatThrownBy(() -> new NearCacheOnlineStore(backing, 1, Duration.ZERO, clock))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("staleness was PT0S");
    }
}
