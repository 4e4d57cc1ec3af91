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
        return entity(entityPrefix(view), key);
    }

    /** The UTF-8 start of every entity key of the view, {@code <prefix>e:<view>:} and the opening brace; build once per view read. */
    byte[] entityPrefix(String view) {
        return (prefix + "e:" + view + ":{").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The key of an entity from its view's {@link #entityPrefix}: a read of N entities builds N
     * byte arrays, not N strings then their UTF-8 copies. Canonical keys are usually ASCII, copied
     * char by char; anything else goes through the JDK's encoder.
     */
    static byte[] entity(byte[] viewPrefix, EntityKey key) {
        String canonical = key.canonical();
        int n = canonical.length();
        byte[] out = new byte[viewPrefix.length + n + 1];
        System.arraycopy(viewPrefix, 0, out, 0, viewPrefix.length);
        for (int i = 0; i < n; i++) {
            char c = canonical.charAt(i);
            if (c >= 0x80) {
                byte[] k = canonical.getBytes(StandardCharsets.UTF_8);
                out = java.util.Arrays.copyOf(out, viewPrefix.length + k.length + 1);
                System.arraycopy(k, 0, out, viewPrefix.length, k.length);
                break;
            }
            out[viewPrefix.length + i] = (byte) c;
        }
        out[out.length - 1] = '}';
        return out;
    }

    byte[] layoutMarker() {
        return (prefix + "layout").getBytes(StandardCharsets.UTF_8);
    }

    /** SCAN patterns matching every entity of the view, in this layout and the earlier hash one. */
    String[] viewPatterns(String view) {
        return new String[] {prefix + "e:" + view + ":{*", prefix + "v:" + view + ":{*"};
    }
}
