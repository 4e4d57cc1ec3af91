package dev.ferry.online.redis;

import dev.ferry.online.EntityKey;
import java.nio.charset.StandardCharsets;

/**
 * The Redis key layout: {@code <prefix>e:<view>:{<canonical entity key>}}, one string per view and
 * entity holding all of that entity's features in the view, in {@code ValueCodec}'s entity
 * encoding (the same bytes the RocksDB store keeps). The hash tag is the entity, so every command
 * touches one key and one slot, and the views of one entity share a slot (a multi-view read of one
 * entity stays on one node). Canonical entity keys contain no braces, view names and prefixes
 * neither. {@code <prefix>layout} records the layout; the hash layout of earlier Ferry versions
 * ({@code <prefix>v:...}, one field per feature) is no longer read, only removed by dropView.
 */
final class RedisKeys {

    /** The value of the layout marker this Ferry writes and the only one it accepts. */
    static final String LAYOUT = "entity-blob-1";

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    byte[] entity(String view, EntityKey key) {
        return (prefix + "e:" + view + ":{" + key.canonical() + "}").getBytes(StandardCharsets.UTF_8);
    }

    byte[] layoutMarker() {
        return (prefix + "layout").getBytes(StandardCharsets.UTF_8);
    }

    /** SCAN patterns matching every entity of the view, in this layout and the earlier hash one. */
    String[] viewPatterns(String view) {
        return new String[] {prefix + "e:" + view + ":{*", prefix + "v:" + view + ":{*"};
    }
}
