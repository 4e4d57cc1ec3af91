package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void theSharedServerAnswersAndIsTheSameForTheWholeJvm() {
        RedisServer redis = RedisServer.shared();
        assertThat(RedisServer.shared()).isSameAs(redis);
        assertThat(redis.isExternal()).isEqualTo(System.getenv(RedisServer.ENV) != null);
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void deletingAPrefixLeavesEveryOtherKeyAlone() {
        RedisServer redis = RedisServer.shared();
        String mine = redis.newKeyPrefix();
        String neighbour = redis.newKeyPrefix();
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            for (int i = 0; i < 1200; i++) {
                r.set(mine + i, "v");
            }
            r.set(neighbour + "kept", "v");

            assertThat(redis.deleteKeys(mine)).isEqualTo(1200);

            assertThat(r.exists(mine + "0", mine + "1199")).isZero();
            assertThat(r.get(neighbour + "kept")).isEqualTo("v");
            redis.deleteKeys(neighbour);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aPrivateServerRunsOnItsOwnPortUntilClosed() {
        try (RedisServer own = RedisServer.startEmbedded()) {
            assertThat(own.port()).isNotEqualTo(RedisServer.shared().port());
            RedisClient client = RedisClient.create(own.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
            } finally {
                client.shutdown();
            }
        }
    }
}
