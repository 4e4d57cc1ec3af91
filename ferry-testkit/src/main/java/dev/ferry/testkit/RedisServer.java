package dev.ferry.testkit;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A real Redis for tests. {@link #shared()} reuses the server named by {@code FERRY_TEST_REDIS_URL}
 * ({@code redis://host:port}) when set, else starts an embedded Redis on a random free port, once
 * per JVM, stopped at exit. Tests isolate themselves with {@link #newKeyPrefix()} and clean up with
 * {@link #deleteKeys(String)}: on a shared server nothing outside the test's prefix is touched
 * (never FLUSHALL). Use {@link #startEmbedded(String...)} for a private server a test may stop.
 */
public final class RedisServer implements AutoCloseable {

    /** The environment variable naming an existing Redis to reuse. */
    public static final String ENV = "FERRY_TEST_REDIS_URL";

    private static RedisServer shared;

    private final String uri;
    private final redis.embedded.RedisServer embedded;
    private final boolean owned;

    private RedisServer(String uri, redis.embedded.RedisServer embedded, boolean owned) {
        this.uri = uri;
        this.embedded = embedded;
        this.owned = owned;
    }

    /** The JVM-wide test Redis: the one named by {@value #ENV}, or an embedded one started on first use. */
    public static synchronized RedisServer shared() {
        if (shared == null) {
            String url = System.getenv(ENV);
            if (url != null && !url.isBlank()) {
                RedisURI.create(url); // fails early, naming the bad URL, if it is malformed
                shared = new RedisServer(url, null, false);
            } else {
                RedisServer started = startEmbedded();
                Runtime.getRuntime().addShutdownHook(new Thread(started::stopEmbedded, "ferry-test-redis-stop"));
                shared = new RedisServer(started.uri, started.embedded, false);
            }
        }
        return shared;
    }

    /**
     * Starts a private embedded Redis on a random free port with the given extra config lines
     * (e.g. {@code "cluster-enabled yes"}); {@link #close()} stops it.
     */
    public static RedisServer startEmbedded(String... settings) {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                Path dir = Files.createTempDirectory("ferry-redis-" + port + "-");
                var builder = redis.embedded.RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("dir " + dir)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .onShutdownForceStop(true);
                for (String s : settings) {
                    builder.setting(s);
                }
                redis.embedded.RedisServer server = builder.build();
                server.start();
                return new RedisServer("redis://127.0.0.1:" + port, server, true);
            } catch (IOException e) {
                last = e; // most likely the port was taken between probing and binding: try another
            }
        }
        throw new UncheckedIOException("could not start an embedded Redis after 3 attempts", last);
    }

    /** {@code redis://host:port} of this server. */
    public String uri() {
        return uri;
    }

    /** The port this server listens on. */
    public int port() {
        return RedisURI.create(uri).getPort();
    }

    /** True when this is a server named by {@value #ENV} rather than one started here. */
    public boolean isExternal() {
        return embedded == null;
    }

    /** A key prefix no other test uses, e.g. {@code ferry-test:3f2a...:}. */
    public String newKeyPrefix() {
        return "ferry-test:" + UUID.randomUUID().toString().replace("-", "") + ":";
    }

    /** Deletes every key starting with {@code prefix} (SCAN and UNLINK; nothing else is touched). */
    public long deleteKeys(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.contains("*")) {
            throw new IllegalArgumentException("prefix was '" + prefix + "' but it must be non-empty, without '*'");
        }
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            long deleted = 0;
            ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(500);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, args);
                List<String> keys = page.getKeys();
                if (!keys.isEmpty()) {
                    deleted += redis.unlink(keys.toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
            return deleted;
        } finally {
            client.shutdown();
        }
    }

    /** Stops the server if this object started it privately; the shared server lives until JVM exit. */
    @Override
    public void close() {
        if (owned) {
            stopEmbedded();
        }
    }

    private void stopEmbedded() {
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop the embedded Redis at " + uri, e);
            }
        }
    }

    // A port below 55536 whose +10000 neighbour is free too: Redis Cluster listens there for its bus.
    private static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(20_000, 55_000);
            if (isFree(port) && isFree(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (p, p+10000) for an embedded Redis after 100 attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
