package dev.ferry.online.rocksdb;

import dev.ferry.UnavailableException;
import dev.ferry.ValidationFailedException;
import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.EntityMerge;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The embedded, persistent online store: one RocksDB database in a directory, owned by one
 * process. It is the default when no Redis is configured; use RedisOnlineStore when several
 * servers must share the values. All features of one entity in one view are one RocksDB value
 * (see {@link ValueCodec#encodeEntity}), so a read of N entities is one multi-get of N keys.
 *
 * <p>Writes are read-modify-write (the event-time rule needs the stored times), made atomic by
 * striped locks rather than a merge operator: RocksJava only offers the built-in merge operators,
 * and a custom "newest event time wins" operator would need C++ in a native library we would then
 * ship for every platform. Each write batch locks its stripes in ascending order (no deadlock),
 * multi-gets the stored entities, merges in the JVM and commits one atomic WriteBatch.
 */
public final class RocksDbOnlineStore implements OnlineStore {

    static {
        RocksDB.loadLibrary();
    }

    /** The on-disk layout version; a database written with another one is refused. */
    public static final int FORMAT_VERSION = 1;

    // Sorts before every view key (view names start with a letter or '_'), so it never collides.
    private static final byte[] FORMAT_KEY = "\u0001ferry.online.format".getBytes(StandardCharsets.UTF_8);
    private static final int CHUNK = 1024;

    private final Path dir;
    private final Clock clock;
    private final Options options;
    private final WriteOptions writeOptions;
    private final BloomFilter filter;
    private final RocksDB db;
    private final StripedLocks locks = new StripedLocks(256);
    // Native handles must not be used after close: operations share, close is exclusive.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private RocksDbOnlineStore(Path dir, Clock clock, Options options, WriteOptions writeOptions, BloomFilter filter,
                               RocksDB db) {
        this.dir = dir;
        this.filter = filter;
        this.clock = clock;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
    }

    /**
     * Opens (creating if needed) the store in {@code dir}. Fails with UnavailableException when the
     * directory is locked by another process, ValidationFailedException when it holds another format.
     */
    public static RocksDbOnlineStore open(Path dir, Clock clock) {
        // Bloom filters make a lookup of an absent entity skip the data blocks.
        BloomFilter filter = new BloomFilter(10);
        Options options = new Options()
                .setCreateIfMissing(true)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(filter));
        WriteOptions writeOptions = new WriteOptions();
        RocksDB db = null;
        try {
            Files.createDirectories(dir);
            db = RocksDB.open(options, dir.toString());
            checkFormat(db, dir);
            return new RocksDbOnlineStore(dir, clock, options, writeOptions, filter, db);
        } catch (RocksDBException | java.io.IOException e) {
            closeQuietly(db, options, writeOptions, filter);
            throw new UnavailableException("online store at " + dir + " could not be opened: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(db, options, writeOptions, filter);
            throw e;
        }
    }

    private static void checkFormat(RocksDB db, Path dir) throws RocksDBException {
        byte[] format = db.get(FORMAT_KEY);
        if (format == null) {
            db.put(FORMAT_KEY, new byte[] {FORMAT_VERSION});
        } else if (format.length != 1 || format[0] != FORMAT_VERSION) {
            throw new ValidationFailedException("online store at " + dir + " has format version "
                    + (format.length == 1 ? format[0] : "of " + format.length + " bytes")
                    + " but this Ferry reads version " + FORMAT_VERSION);
        }
    }

    @Override
    public void write(String view, Collection<OnlineRecord> records) {
        OnlineStore.checkWrite(view, records);
        List<OnlineRecord> all = List.copyOf(records);
        guard(() -> {
            for (int from = 0; from < all.size(); from += CHUNK) {
                writeChunk(view, all.subList(from, Math.min(all.size(), from + CHUNK)));
            }
            return null;
        });
    }

    private void writeChunk(String view, List<OnlineRecord> records) throws RocksDBException {
        EntityBatch batch = EntityBatch.of(view, records);
        int[] stripes = locks.lockAll(batch.keys());
        try {
            batch.load(db.multiGetAsList(batch.keys()));
            batch.commit(db, writeOptions);
        } finally {
            locks.unlockAll(stripes);
        }
    }

    @Override
    public List<EntityFeatures> read(String view, List<EntityKey> keys, List<String> features, Duration maxAge) {
        OnlineStore.checkRead(view, keys, features, maxAge);
        if (keys.isEmpty()) {
            return List.of();
        }
        List<byte[]> dbKeys = new ArrayList<>(keys.size());
        byte[] viewBytes = view.getBytes(StandardCharsets.UTF_8);
        for (EntityKey k : keys) {
            dbKeys.add(Keys.entity(viewBytes, k));
        }
        List<byte[]> values = guard(() -> db.multiGetAsList(dbKeys));
        Instant now = clock.instant();
        List<EntityFeatures> out = new ArrayList<>(keys.size());
        ValueCodec.Wanted wanted = ValueCodec.Wanted.of(features);
        for (int i = 0; i < keys.size(); i++) {
            out.add(EntityMerge.answer(keys.get(i), values.get(i), wanted, now, maxAge));
        }
        return out;
    }

    @Override
    public void dropView(String view) {
        OnlineStore.checkView(view);
        guard(() -> {
            byte[][] range = Keys.viewRange(view);
            db.deleteRange(writeOptions, range[0], range[1]);
            return null;
        });
    }

    /** The directory this store lives in. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(db, options, writeOptions, filter);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    private <T> T guard(RocksCall<T> call) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("online store at " + dir + " is closed");
            }
            return call.call();
        } catch (RocksDBException e) {
            throw new UnavailableException("online store at " + dir + " failed: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static void closeQuietly(RocksDB db, Options options, WriteOptions writeOptions, BloomFilter filter) {
        if (db != null) {
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                // Closing anyway: the WAL is replayed on the next open.
            }
            db.close();
        }
        writeOptions.close();
        options.close();
        filter.close();
    }
}
