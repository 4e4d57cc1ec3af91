package dev.ferry.online.redis;

import dev.ferry.online.EntityKey;
import java.nio.charset.StandardCharsets;

/**
 * The Redis key layout: {@code <prefix>v:<view>:{<canonical entity key>}}, one hash per view and
 * entity whose fields are feature names. The hash tag is the entity, so every command touches one
 * key and one slot, and the views of one entity share a slot (a multi-view read of one entity stays
 * on one node). Canonical entity keys contain no braces, view names and prefixes neither.
 */
final class RedisKeys {

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    byte[] entity(String view, EntityKey key) {
        return (prefix + "v:" + view + ":{" + key.canonical() + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** SCAN pattern matching every entity of the view (view names contain no glob characters). */
    String viewPattern(String view) {
        return prefix + "v:" + view + ":{*";
    }
}
