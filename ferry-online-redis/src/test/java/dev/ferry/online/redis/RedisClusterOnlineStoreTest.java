package dev.ferry.online.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.testing.MutableClock;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.OnlineStoreContract;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a three-master Redis Cluster of embedded servers, through Lettuce's cluster client. */
class RedisClusterOnlineStoreTest extends OnlineStoreContract {

    /**
     * The contract is about what is stored, not about time: its stores wait 5 s for a command
     * (the default is 1 s), so a node stalled for a second on a shared CI machine does not fail a
     * write. {@code RedisOutageTest} covers the timeouts themselves.
     */
    static final java.time.Duration CONTRACT_TIMEOUT = java.time.Duration.ofSeconds(5);

    private static EmbeddedRedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new EmbeddedRedisCluster(3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected OnlineStore newStore(MutableClock clock) {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
        return RedisOnlineStore.connect(RedisOnlineStoreConfig.cluster(cluster.uris()).withKeyPrefix(prefix)
                .withTimeouts(CONTRACT_TIMEOUT, CONTRACT_TIMEOUT), clock);
    }

    @Test
    void entitiesSpreadOverEveryNodeAreReadInOneCallAndDroppedFromEveryNode() {
        RedisKeys keys = new RedisKeys(((RedisOnlineStore) store).config().keyPrefix());
        List<OnlineRecord> records = new ArrayList<>();
        List<EntityKey> entityKeys = new ArrayList<>();
        int[] perNode = new int[3];
        for (int i = 0; i < 300; i++) {
            EntityKey k = EntityKey.of((long) i);
            entityKeys.add(k);
            records.add(new OnlineRecord(k, Map.of("x", i), T0));
            int slot = SlotHash.getSlot(keys.entity(VIEW, k));
            perNode[slot * 3 / 16384]++;
        }
        store.write(VIEW, records);

        List<EntityFeatures> got = store.read(VIEW, entityKeys, List.of("x"));

        assertThat(perNode).as("entities per node").doesNotContain(0);
        assertThat(got).extracting(e -> e.get("x").value()).containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());

        store.dropView(VIEW);
        assertThat(store.read(VIEW, entityKeys, List.of("x"))).extracting(e -> e.get("x").status())
                .containsOnly(dev.ferry.online.FeatureStatus.NOT_FOUND);
    }

    @Test
    void allViewsOfOneEntityShareASlot() {
        RedisKeys keys = new RedisKeys("ferry:");
        EntityKey k = EntityKey.of("customer-7", 3L);
        assertThat(SlotHash.getSlot(keys.entity("a@1", k))).isEqualTo(SlotHash.getSlot(keys.entity("b@2", k)))
                .isEqualTo(SlotHash.getSlot(k.canonical().getBytes(StandardCharsets.UTF_8)));
    }
}
