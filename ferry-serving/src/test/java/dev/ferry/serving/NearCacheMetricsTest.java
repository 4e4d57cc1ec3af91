package dev.ferry.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.online.EntityKey;
import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.online.NearCacheOnlineStore;
import dev.ferry.online.OnlineRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NearCacheMetricsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void hitsMissesAndSizeOfTheNearCacheAreReadByTheMeters() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        InMemoryOnlineStore backing = new InMemoryOnlineStore(clock);
        backing.write("users@1", List.of(new OnlineRecord(EntityKey.of("a"), Map.of("x", 1.0), NOW),
                new OnlineRecord(EntityKey.of("b"), Map.of("x", 2.0), NOW)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (NearCacheOnlineStore store = new NearCacheOnlineStore(backing, 100, Duration.ofSeconds(5), clock)) {
            NearCacheMetrics.bind(store, meters, "online");

            store.read("users@1", List.of(EntityKey.of("a"), EntityKey.of("b")), List.of("x"), Duration.ofDays(1));
            store.read("users@1", List.of(EntityKey.of("a")), List.of("x"), Duration.ofDays(1));
            store.read("users@1", List.of(EntityKey.of("a"), EntityKey.of("c")), List.of("x"), Duration.ofDays(1));

            assertThat(meters.get("ferry.online.nearcache").tags("cache", "online", "result", "hit").functionCounter().count())
                    .isEqualTo(2.0).isEqualTo((double) store.hits());
            assertThat(meters.get("ferry.online.nearcache").tags("cache", "online", "result", "miss").functionCounter().count())
                    .isEqualTo(3.0).isEqualTo((double) store.misses());
            assertThat(meters.get("ferry.online.nearcache.size").tags("cache", "online").gauge().value()).isEqualTo(3.0);
        }
    }
}
