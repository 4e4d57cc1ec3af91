package dev.ferry.online.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.api.sync.RedisStringCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.List;

/**
 * The two connections a store uses, the same way for standalone Redis and Redis Cluster: a
 * pipeline connection whose commands are flushed together by hand (autoflush off), and an admin
 * connection for scans and script loading. Lettuce's cluster connection routes each command by its
 * key's slot, so the store's code does not care which kind it has.
 */
final class RedisConnections implements AutoCloseable {

    final StatefulConnection<byte[], byte[]> pipeline;
    final BaseRedisAsyncCommands<byte[], byte[]> pipelineBase;
    final RedisScriptingAsyncCommands<byte[], byte[]> pipelineScripting;
    final RedisKeyAsyncCommands<byte[], byte[]> adminKeys;
    final RedisKeyCommands<byte[], byte[]> adminKeysSync;
    final RedisScriptingAsyncCommands<byte[], byte[]> adminScripting;
    final RedisStringCommands<byte[], byte[]> adminStrings;
    private final StatefulConnection<byte[], byte[]> admin;
    private final AbstractRedisClient client;
    private final ClientResources resources;

    private RedisConnections(StatefulConnection<byte[], byte[]> pipeline, BaseRedisAsyncCommands<byte[], byte[]> reads,
                             RedisScriptingAsyncCommands<byte[], byte[]> scripting, StatefulConnection<byte[], byte[]> admin,
                             RedisKeyAsyncCommands<byte[], byte[]> adminKeys, RedisKeyCommands<byte[], byte[]> adminKeysSync,
                             RedisScriptingAsyncCommands<byte[], byte[]> adminScripting,
                             RedisStringCommands<byte[], byte[]> adminStrings,
                             AbstractRedisClient client, ClientResources resources) {
        this.pipeline = pipeline;
        this.pipelineBase = reads;
        this.pipelineScripting = scripting;
        this.admin = admin;
        this.adminKeys = adminKeys;
        this.adminKeysSync = adminKeysSync;
        this.adminScripting = adminScripting;
        this.adminStrings = adminStrings;
        this.client = client;
        this.resources = resources;
        pipeline.setAutoFlushCommands(false);
    }

    static RedisConnections open(RedisOnlineStoreConfig config) {
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(config.commandTimeout());
        List<RedisURI> uris = config.uris().stream().map(u -> {
            RedisURI uri = RedisURI.create(u);
            uri.setTimeout(config.commandTimeout());
            return uri;
        }).toList();
        AbstractRedisClient client = null;
        try {
            if (config.cluster()) {
                RedisClusterClient c = RedisClusterClient.create(resources, uris);
                client = c;
                c.setOptions(ClusterClientOptions.builder()
                        .socketOptions(socket)
                        .timeoutOptions(timeouts)
                        // Fail at once while disconnected instead of queueing: an outage must not hang callers.
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
                        .build());
                StatefulRedisClusterConnection<byte[], byte[]> p = c.connect(ByteArrayCodec.INSTANCE);
                // Open the pipeline's connection to every upstream node now: a node connection
                // opened lazily by the first command could hold that command, autoflush being off,
                // past a flush made while it was still connecting (seen as a rare timeout; Lettuce
                // issues #1658 and #2420). A node that joins later is still opened lazily.
                for (io.lettuce.core.cluster.models.partitions.RedisClusterNode node : p.getPartitions()) {
                    if (node.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.UPSTREAM)) {
                        p.getConnection(node.getNodeId());
                    }
                }
                StatefulRedisClusterConnection<byte[], byte[]> a = c.connect(ByteArrayCodec.INSTANCE);
                return new RedisConnections(p, p.async(), p.async(), a, a.async(), a.sync(), a.async(), a.sync(), c, resources);
            }
            RedisClient c = RedisClient.create(resources, uris.getFirst());
            client = c;
            c.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            StatefulRedisConnection<byte[], byte[]> p = c.connect(ByteArrayCodec.INSTANCE);
            StatefulRedisConnection<byte[], byte[]> a = c.connect(ByteArrayCodec.INSTANCE);
            return new RedisConnections(p, p.async(), p.async(), a, a.async(), a.sync(), a.async(), a.sync(), c, resources);
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown();
            }
            resources.shutdown();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            pipeline.close();
            admin.close();
        } finally {
            client.shutdown();
            resources.shutdown();
        }
    }
}
