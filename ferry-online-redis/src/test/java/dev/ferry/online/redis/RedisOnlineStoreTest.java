package dev.ferry.online.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.MutableClock;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.OnlineStoreContract;
import dev.ferry.online.ValueCodec;
import dev.ferry.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract against a standalone Redis: embedded, or the one FERRY_TEST_REDIS_URL names. */
class RedisOnlineStoreTest extends OnlineStoreContract {

    private final RedisServer redis = RedisServer.shared();
    private String prefix;

    @Override
    protected OnlineStore newStore(MutableClock clock) {
        prefix = redis.newKeyPrefix();
        return RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redis.uri()).withKeyPrefix(prefix), clock);
    }

    @AfterEach
    void deleteTestKeys() {
        redis.deleteKeys(prefix);
    }

    @Test
    void anEntityIsOneHashPerViewTaggedByTheEntityWithOneFieldPerFeature() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1L, "y", "a")));

        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] key = (prefix + "v:" + VIEW + ":{su1}").getBytes(StandardCharsets.UTF_8);
            Map<byte[], byte[]> hash = c.sync().hgetall(key);
            assertThat(hash).hasSize(2);
            byte[] x = c.sync().hget(key, "x".getBytes(StandardCharsets.UTF_8));
            assertThat(ValueCodec.decode(x).value()).isEqualTo(1L);
            assertThat(ValueCodec.decode(x).eventTime()).isEqualTo(T0);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void twoStoresWithDifferentPrefixesDoNotSeeEachOther() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1)));
        String otherPrefix = redis.newKeyPrefix();
        try (OnlineStore other = RedisOnlineStore.connect(
                RedisOnlineStoreConfig.standalone(redis.uri()).withKeyPrefix(otherPrefix), clock)) {
            assertThat(other.read(VIEW, List.of(dev.ferry.online.EntityKey.of("u1")), List.of("x")).getFirst().get("x").status())
                    .isEqualTo(dev.ferry.online.FeatureStatus.NOT_FOUND);
            other.dropView(VIEW);
        } finally {
            redis.deleteKeys(otherPrefix);
        }
        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo(1);
    }
}
