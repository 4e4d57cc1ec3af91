package dev.ferry.online.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.online.EntityKey;
import dev.ferry.testing.MutableClock;
import dev.ferry.online.OnlineRecord;
import dev.ferry.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failures a private Redis is needed for: stopping it, emptying its script cache. */
class RedisOutageTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private final MutableClock clock = new MutableClock(T0);

    private static RedisOnlineStoreConfig config(RedisServer server) {
        return RedisOnlineStoreConfig.standalone(server.uri())
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void aStoppedRedisMakesReadsAndWritesFailAsUnavailable() {
        RedisServer server = RedisServer.startEmbedded();
        try (RedisOnlineStore store = RedisOnlineStore.connect(config(server), clock)) {
            store.write("v@1", List.of(new OnlineRecord(EntityKey.of(1), Map.of("x", 1), T0)));

            server.close();

            assertThatThrownBy(() -> store.read("v@1", List.of(EntityKey.of(1)), List.of("x")))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining(server.uri());
            assertThatThrownBy(() -> store.write("v@1", List.of(new OnlineRecord(EntityKey.of(1), Map.of("x", 2), T0))))
                    .isInstanceOf(UnavailableException.class);
        } finally {
            server.close();
        }
    }

    @Test
    void connectingToNothingFailsAsUnavailable() {
        RedisServer server = RedisServer.startEmbedded();
        server.close();
        assertThatThrownBy(() -> RedisOnlineStore.connect(config(server), clock))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("could not connect");
    }

    @Test
    void writesRecoverWhenTheServerForgetsTheScript() {
        try (RedisServer server = RedisServer.startEmbedded();
             RedisOnlineStore store = RedisOnlineStore.connect(config(server), clock)) {
            store.write("v@1", List.of(new OnlineRecord(EntityKey.of(1), Map.of("x", 1), T0)));
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().scriptFlush();
            } finally {
                client.shutdown();
            }

            store.write("v@1", List.of(new OnlineRecord(EntityKey.of(1), Map.of("x", 2), T0.plusSeconds(1)),
                    new OnlineRecord(EntityKey.of(1), Map.of("x", 0), T0)));

            assertThat(store.read("v@1", List.of(EntityKey.of(1)), List.of("x")).getFirst().get("x").value()).isEqualTo(2);
        }
    }

    @Test
    void aBadConfigIsRefusedListingEveryProblem() {
        assertThatThrownBy(() -> new RedisOnlineStoreConfig(List.of("a", "b"), false, "p{", Duration.ZERO, Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("exactly one")
                .hasMessageContaining("keyPrefix was 'p{'")
                .hasMessageContaining("connectTimeout was PT0S")
                .hasMessageContaining("commandTimeout was PT-1S");
    }
}
