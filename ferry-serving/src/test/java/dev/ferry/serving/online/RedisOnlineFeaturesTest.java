package dev.ferry.serving.online;

import dev.ferry.online.OnlineStore;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;

/** Against a real Redis: embedded, or the one FERRY_TEST_REDIS_URL names. */
class RedisOnlineFeaturesTest extends OnlineFeaturesContract {

    private final RedisServer redis = RedisServer.shared();
    private String prefix;

    @Override
    protected OnlineStore newStore() {
        prefix = redis.newKeyPrefix();
        return RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redis.uri()).withKeyPrefix(prefix), CLOCK);
    }

    @AfterEach
    void deleteTestKeys() {
        redis.deleteKeys(prefix);
    }
}
