package dev.ferry.online.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ValidationFailedException;
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
        return RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redis.uri()).withKeyPrefix(prefix)
                .withTimeouts(RedisClusterOnlineStoreTest.CONTRACT_TIMEOUT, RedisClusterOnlineStoreTest.CONTRACT_TIMEOUT), clock);
    }

    @AfterEach
    void deleteTestKeys() {
        redis.deleteKeys(prefix);
    }

    @Test
    void anEntityIsOneStringPerViewTaggedByTheEntityInTheSharedEntityEncoding() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1L, "y", "a")));
        store.write(VIEW, List.of(record("u1", T0.plusSeconds(1), "y", "b", "z", 2.5)));

        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] key = (prefix + "e:" + VIEW + ":{su1}").getBytes(StandardCharsets.UTF_8);
            Map<String, byte[]> entity = ValueCodec.decodeEntity(c.sync().get(key));
            assertThat(entity.keySet()).containsExactly("x", "y", "z");
            assertThat(ValueCodec.decode(entity.get("x")).value()).isEqualTo(1L);
            assertThat(ValueCodec.decode(entity.get("x")).eventTime()).isEqualTo(T0);
            assertThat(ValueCodec.decode(entity.get("y")).value()).isEqualTo("b");
            assertThat(ValueCodec.decode(entity.get("y")).eventTime()).isEqualTo(T0.plusSeconds(1));
            assertThat(new String(c.sync().get((prefix + "layout").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                    .isEqualTo("entity-blob-1");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aPrefixHoldingAnotherLayoutIsRefusedAtConnectNamingBoth() {
        String other = redis.newKeyPrefix();
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set(other + "layout", "hash-per-entity");
            assertThatThrownBy(() -> RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redis.uri()).withKeyPrefix(other), clock))
                    .isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("'hash-per-entity'")
                    .hasMessageContaining("'entity-blob-1'")
                    .hasMessageContaining(other);
        } finally {
            client.shutdown();
            redis.deleteKeys(other);
        }
    }

    @Test
    void aStoredEntityOfAnotherCodecVersionIsNeitherOverwrittenNorMisread() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1L)));
        byte[] key = (prefix + "e:" + VIEW + ":{su1}").getBytes(StandardCharsets.UTF_8);
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] stored = c.sync().get(key);
            byte[] foreign = stored.clone();
            foreign[0] = 9;
            c.sync().set(key, foreign);
            assertThatThrownBy(() -> store.write(VIEW, List.of(record("u1", T0.plusSeconds(1), "x", 2L))))
                    .isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("codec version 9");
            assertThat(c.sync().get(key)).as("left as it was").isEqualTo(foreign);
            assertThatThrownBy(() -> readOne(VIEW, "u1", "x")).isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("version was 9");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aCorruptEntityAmongManyFailsTheReadNamingItAndTheConnectionReadsOnAfterwards() {
        List<dev.ferry.online.EntityKey> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            store.write(VIEW, List.of(record("u" + i, T0, "x", (long) i)));
            keys.add(dev.ferry.online.EntityKey.of("u" + i));
        }
        byte[] key = (prefix + "e:" + VIEW + ":{su7}").getBytes(StandardCharsets.UTF_8);
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] stored = c.sync().get(key);
            c.sync().set(key, java.util.Arrays.copyOf(stored, stored.length - 3));

            // The entity is decoded on Lettuce's I/O thread; the failure must reach the reader.
            assertThatThrownBy(() -> store.read(VIEW, keys, List.of("x")))
                    .isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("online entity of " + (stored.length - 3) + " bytes is corrupt");

            List<dev.ferry.online.EntityKey> healthy = keys.stream().filter(k -> !k.equals(dev.ferry.online.EntityKey.of("u7"))).toList();
            List<dev.ferry.online.EntityFeatures> read = store.read(VIEW, healthy, List.of("x"));
            assertThat(read).extracting(e -> e.get("x").value())
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aReadsAnswersAreNotKeptByTheStoreOnceReturned() throws Exception {
        store.write(VIEW, List.of(record("u1", T0, "x", 1L)));
        // Lettuce keeps a completed command until its timeout task is cleared (about a timer tick);
        // the store must not keep the answers through it. Collected at once, well inside that time.
        java.lang.ref.WeakReference<dev.ferry.online.EntityFeatures> answer =
                new java.lang.ref.WeakReference<>(store.read(VIEW, List.of(dev.ferry.online.EntityKey.of("u1")), List.of("x")).getFirst());
        for (int i = 0; i < 5 && answer.get() != null; i++) {
            System.gc();
        }
        assertThat(answer.get()).as("answer collected once the caller dropped it").isNull();
        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo(1L);
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
