package dev.ferry.online.redis;

import dev.ferry.InvalidInputException;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach the Redis behind a {@link RedisOnlineStore}: one URI for a standalone server, or
 * seed URIs of a Redis Cluster; a key prefix that namespaces this deployment's keys; connect and
 * command timeouts that bound how long an outage can hold a caller before it becomes an
 * UnavailableException. Build with {@link #standalone(String)} or {@link #cluster(List)}, then
 * adjust with the {@code with...} methods.
 */
public record RedisOnlineStoreConfig(List<String> uris, boolean cluster, String keyPrefix,
                                     Duration connectTimeout, Duration commandTimeout) {

    public static final String DEFAULT_KEY_PREFIX = "ferry:";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);

    public RedisOnlineStoreConfig {
        List<String> problems = new ArrayList<>();
        if (uris == null || uris.isEmpty()) {
            problems.add("uris were empty but at least one redis://host:port is required");
        } else {
            for (String u : uris) {
                try {
                    RedisURI.create(u);
                } catch (RuntimeException e) {
                    problems.add("uri was '" + u + "' but it must look like redis://host:port (" + e.getMessage() + ")");
                }
            }
            if (!cluster && uris.size() > 1) {
                problems.add("uris had " + uris.size() + " entries but a standalone store takes exactly one");
            }
        }
        if (keyPrefix == null || keyPrefix.contains("{") || keyPrefix.contains("}")) {
            problems.add("keyPrefix was '" + keyPrefix + "' but it must be a string without '{' or '}' (they delimit hash tags)");
        }
        checkPositive(problems, "connectTimeout", connectTimeout);
        checkPositive(problems, "commandTimeout", commandTimeout);
        if (!problems.isEmpty()) {
            throw new InvalidInputException("Redis online store config is invalid: " + String.join("; ", problems));
        }
        uris = List.copyOf(uris);
    }

    private static void checkPositive(List<String> problems, String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            problems.add(name + " was " + d + " but it must be positive");
        }
    }

    /** A standalone Redis with default prefix and timeouts. */
    public static RedisOnlineStoreConfig standalone(String uri) {
        return new RedisOnlineStoreConfig(List.of(uri), false, DEFAULT_KEY_PREFIX, DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT);
    }

    /** A Redis Cluster reached through any of the seed URIs, with default prefix and timeouts. */
    public static RedisOnlineStoreConfig cluster(List<String> seedUris) {
        return new RedisOnlineStoreConfig(seedUris, true, DEFAULT_KEY_PREFIX, DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT);
    }

    public RedisOnlineStoreConfig withKeyPrefix(String prefix) {
        return new RedisOnlineStoreConfig(uris, cluster, prefix, connectTimeout, commandTimeout);
    }

    public RedisOnlineStoreConfig withTimeouts(Duration connect, Duration command) {
        return new RedisOnlineStoreConfig(uris, cluster, keyPrefix, connect, command);
    }
}
