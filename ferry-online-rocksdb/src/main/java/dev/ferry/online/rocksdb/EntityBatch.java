package dev.ferry.online.rocksdb;

import dev.ferry.online.EntityMerge;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.ValueCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** The records of one write chunk grouped by entity, merged with what is stored and committed at once. */
final class EntityBatch {

    private final List<byte[]> keys = new ArrayList<>();
    private final List<List<OnlineRecord>> recordsPerKey = new ArrayList<>();
    private final List<Map<String, byte[]>> merged = new ArrayList<>();

    private EntityBatch() {
    }

    static EntityBatch of(String view, List<OnlineRecord> records) {
        EntityBatch b = new EntityBatch();
        Map<ByteBuffer, Integer> index = new LinkedHashMap<>();
        for (OnlineRecord r : records) {
            byte[] key = Keys.entity(view, r.key());
            Integer i = index.putIfAbsent(ByteBuffer.wrap(key), b.keys.size());
            if (i == null) {
                b.keys.add(key);
                b.recordsPerKey.add(new ArrayList<>(1));
                i = b.keys.size() - 1;
            }
            b.recordsPerKey.get(i).add(r);
        }
        return b;
    }

    List<byte[]> keys() {
        return keys;
    }

    /** Applies the records, in write order, to the stored entities (same order as {@link #keys()}). */
    void load(List<byte[]> stored) {
        for (int i = 0; i < keys.size(); i++) {
            byte[] s = stored.get(i);
            Map<String, byte[]> features = s == null ? new LinkedHashMap<>() : ValueCodec.decodeEntity(s);
            boolean changed = false;
            for (OnlineRecord r : recordsPerKey.get(i)) {
                changed |= EntityMerge.applyInPlace(features, r);
            }
            merged.add(changed ? features : null);
        }
    }

    void commit(RocksDB db, WriteOptions options) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < keys.size(); i++) {
                if (merged.get(i) != null) {
                    batch.put(keys.get(i), ValueCodec.encodeEntity(merged.get(i)));
                }
            }
            if (batch.count() > 0) {
                db.write(options, batch);
            }
        }
    }
}
