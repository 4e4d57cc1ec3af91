package dev.ferry.online.redis;

import dev.ferry.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A three-master Redis Cluster made of embedded servers on random ports: slots split in three,
 * nodes introduced with CLUSTER MEET, ready once every node reports cluster_state:ok.
 */
final class EmbeddedRedisCluster implements AutoCloseable {

    private static final int SLOTS = 16384;

    private final List<RedisServer> nodes = new ArrayList<>();

    EmbeddedRedisCluster(int masters) {
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(RedisServer.startEmbedded("cluster-enabled yes", "cluster-config-file nodes.conf",
                        "cluster-node-timeout 5000"));
            }
            for (int i = 0; i < masters; i++) {
                int from = SLOTS * i / masters;
                int to = SLOTS * (i + 1) / masters;
                int node = i;
                withNode(i, r -> {
                    r.clusterAddSlots(IntStream.range(from, to).toArray());
                    if (node > 0) {
                        r.clusterMeet("127.0.0.1", nodes.getFirst().port());
                    }
                    return null;
                });
            }
            awaitReady(masters);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void awaitReady(int masters) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            boolean ready = true;
            for (int i = 0; i < nodes.size() && ready; i++) {
                String info = withNode(i, RedisCommands::clusterInfo);
                ready = info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + masters);
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("embedded Redis Cluster did not become ready within 30 s");
            }
            // Readiness of a real cluster is not simulated time: poll the servers until they agree.
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }

    private <T> T withNode(int i, java.util.function.Function<RedisCommands<String, String>, T> f) {
        RedisClient client = RedisClient.create(nodes.get(i).uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return f.apply(c.sync());
        } finally {
            client.shutdown();
        }
    }

    List<String> uris() {
        return nodes.stream().map(RedisServer::uri).toList();
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
