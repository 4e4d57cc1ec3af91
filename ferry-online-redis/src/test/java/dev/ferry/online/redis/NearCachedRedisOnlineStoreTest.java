package dev.ferry.online.redis;

import dev.ferry.testing.MutableClock;
import dev.ferry.online.NearCacheOnlineStore;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.OnlineStoreContract;
import dev.ferry.testkit.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The contract for the serving setup: a near cache in front of Redis. */
class NearCachedRedisOnlineStoreTest extends OnlineStoreContract {

    private final RedisServer redis = RedisServer.shared();
    private String prefix;

    @Override
    protected OnlineStore newStore(MutableClock clock) {
        prefix = redis.newKeyPrefix();
        RedisOnlineStore backing = RedisOnlineStore.connect(
                RedisOnlineStoreConfig.standalone(redis.uri()).withKeyPrefix(prefix)
                        .withTimeouts(RedisClusterOnlineStoreTest.CONTRACT_TIMEOUT, RedisClusterOnlineStoreTest.CONTRACT_TIMEOUT), clock);
        return new NearCacheOnlineStore(backing, 10_000, Duration.ofSeconds(5), clock);
    }

    @AfterEach
    void deleteTestKeys() {
        redis.deleteKeys(prefix);
    }
}
