package dev.ferry.monitoring.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.monitoring.alert.ScoreBoard;
import dev.ferry.monitoring.alert.ScoreKey;
import dev.ferry.online.EntityKey;
import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.OnlineStoreContract;
import dev.ferry.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The observing store is still an online store (the whole contract), and reports how old served values were. */
class FreshnessObservingStoreTest extends OnlineStoreContract {

    @Override
    protected OnlineStore newStore(MutableClock clock) {
        return new FreshnessObservingStore(new InMemoryOnlineStore(clock), clock, new ScoreBoard(new SimpleMeterRegistry()), 16,
                new SimpleMeterRegistry());
    }

    @Test
    void theAgeOfEachValueAtReadTimeIsPublishedPerViewAndFeature() {
        MutableClock c = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScoreBoard board = new ScoreBoard(meters);
        FreshnessObservingStore s = new FreshnessObservingStore(new InMemoryOnlineStore(c), c, board, 3, meters);
        s.write("credit@1", List.of(record("u1", c.instant().minusSeconds(60)), record("u2", c.instant().minusSeconds(600))));
        c.advance(Duration.ofSeconds(30));
        s.read("credit@1", List.of(key("u1"), key("u2"), key("u3")), List.of("score"), OnlineStore.NO_MAX_AGE);
        s.drain();
        assertThat(board.get(ScoreKey.parse("live.feature_age_max_seconds{view=credit@1,feature=score}"))).isEqualTo(630.0);
        assertThat(board.get(ScoreKey.parse("live.feature_age_mean_seconds{view=credit@1,feature=score}"))).isEqualTo(360.0);

        // a full queue drops instead of blocking the read
        for (int i = 0; i < 3; i++) {
            s.read("credit@1", List.of(key("u1"), key("u2")), List.of("score"), OnlineStore.NO_MAX_AGE);
        }
        assertThat(meters.get("ferry.monitor.freshness.dropped").counter().count()).isEqualTo(3.0);
    }

    private static EntityKey key(String user) {
        return EntityKey.of(user);
    }

    private static OnlineRecord record(String user, Instant eventTime) {
        return new OnlineRecord(key(user), java.util.Map.of("score", 0.5), eventTime);
    }
}
