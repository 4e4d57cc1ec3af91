package dev.ferry.online.rocksdb;

import dev.ferry.online.EntityKey;
import java.nio.charset.StandardCharsets;

/** The RocksDB key layout: {@code view UTF-8, 0x00, canonical entity key}; a view's keys are one contiguous range. */
final class Keys {

    private Keys() {
    }

    static byte[] entity(String view, EntityKey key) {
        return entity(view.getBytes(StandardCharsets.UTF_8), key);
    }

    /** {@link #entity(String, EntityKey)} from the view's UTF-8 name, encoded once for a read of many entities. */
    static byte[] entity(byte[] v, EntityKey key) {
        byte[] k = key.canonicalBytes();
        byte[] out = new byte[v.length + 1 + k.length];
        System.arraycopy(v, 0, out, 0, v.length);
        System.arraycopy(k, 0, out, v.length + 1, k.length);
        return out;
    }

    /** [start, end) covering every entity of the view and nothing else (view names contain no 0x00 or 0x01). */
    static byte[][] viewRange(String view) {
        byte[] v = view.getBytes(StandardCharsets.UTF_8);
        byte[] start = new byte[v.length + 1];
        byte[] end = new byte[v.length + 1];
        System.arraycopy(v, 0, start, 0, v.length);
        System.arraycopy(v, 0, end, 0, v.length);
        end[v.length] = 1;
        return new byte[][] {start, end};
    }
}
