package dev.ferry.online.redis;

import dev.ferry.UnavailableException;
import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ValueCodec;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The online store on Redis or Redis Cluster, shared by every server that reads features. One hash
 * per view and entity holds that entity's features (see RedisKeys); a write runs a Lua script per
 * entity that keeps the newer event time per feature on the server, so out-of-order writers from
 * many processes stay correct; a read of N entities sends N HMGETs flushed together, one round trip.
 * A Redis that is down or slow surfaces as UnavailableException within the configured timeouts.
 * Use RocksDbOnlineStore when one process owns the data, and put a NearCacheOnlineStore in front
 * for hot entities.
 */
public final class RedisOnlineStore implements OnlineStore {

    // Records per pipeline flush on write. Each command's timeout runs from when it is queued, so a
    // bulk load is sent in chunks that each finish well within the command timeout.
    private static final int CHUNK = 128;

    private final RedisOnlineStoreConfig config;
    private final Clock clock;
    private final RedisKeys keys;
    private final RedisConnections redis;
    // Autoflush is off on the pipeline connection: a caller queues its commands and flushes them
    // under this lock, so commands of concurrent callers never wait for someone else's flush.
    private final ReentrantLock pipelineLock = new ReentrantLock();
    private final long timeoutNanos;

    private RedisOnlineStore(RedisOnlineStoreConfig config, Clock clock, RedisConnections redis) {
        this.config = config;
        this.clock = clock;
        this.keys = new RedisKeys(config.keyPrefix());
        this.redis = redis;
        // Lettuce times out each command itself; this outer bound only guards against a lost completion.
        this.timeoutNanos = config.commandTimeout().multipliedBy(2).plusMillis(100).toNanos();
    }

    /** Connects and loads the upsert script; UnavailableException when Redis cannot be reached. */
    public static RedisOnlineStore connect(RedisOnlineStoreConfig config, Clock clock) {
        RedisConnections connections;
        try {
            connections = RedisConnections.open(config);
        } catch (RuntimeException e) {
            throw new UnavailableException("Redis online store at " + config.uris() + " could not connect: " + e.getMessage(), e);
        }
        RedisOnlineStore store = new RedisOnlineStore(config, clock, connections);
        try {
            store.await(List.of(connections.adminScripting.scriptLoad(UpsertScript.BYTES)), "load the upsert script");
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        return store;
    }

    @Override
    public void write(String view, Collection<OnlineRecord> records) {
        OnlineStore.checkWrite(view, records);
        List<OnlineRecord> all = List.copyOf(records);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<OnlineRecord> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            List<byte[][]> args = new ArrayList<>(chunk.size());
            for (OnlineRecord r : chunk) {
                args.add(upsertArgs(r));
            }
            byte[][] chunkKeys = chunk.stream().map(r -> keys.entity(view, r.key())).toArray(byte[][]::new);
            try {
                await(sendUpserts(chunkKeys, args, true), "write to view " + view);
            } catch (ScriptMissing e) {
                // The script cache was emptied (restart, failover, SCRIPT FLUSH). Re-running the whole
                // chunk in order with EVAL is safe: the upsert rule makes a replay change nothing.
                await(sendUpserts(chunkKeys, args, false), "write to view " + view);
            }
        }
    }

    private static byte[][] upsertArgs(OnlineRecord r) {
        byte[][] a = new byte[r.values().size() * 2][];
        int i = 0;
        for (Map.Entry<String, Object> e : r.values().entrySet()) {
            a[i++] = e.getKey().getBytes(StandardCharsets.UTF_8);
            a[i++] = ValueCodec.encode(e.getValue(), r.eventTime());
        }
        return a;
    }

    private List<RedisFuture<Long>> sendUpserts(byte[][] entityKeys, List<byte[][]> args, boolean bySha) {
        List<RedisFuture<Long>> futures = new ArrayList<>(entityKeys.length);
        pipelineLock.lock();
        try {
            for (int i = 0; i < entityKeys.length; i++) {
                byte[][] key = {entityKeys[i]};
                futures.add(bySha
                        ? redis.pipelineScripting.evalsha(UpsertScript.SHA1, ScriptOutputType.INTEGER, key, args.get(i))
                        : redis.pipelineScripting.eval(UpsertScript.BYTES, ScriptOutputType.INTEGER, key, args.get(i)));
            }
            redis.pipeline.flushCommands();
        } finally {
            pipelineLock.unlock();
        }
        return futures;
    }

    @Override
    public List<EntityFeatures> read(String view, List<EntityKey> entityKeys, List<String> features, Duration maxAge) {
        return readViews(List.of(new ViewRead(view, entityKeys, features, maxAge))).get(0);
    }

    /** Every view's HMGETs go out in one pipeline flush: one network round trip however many views. */
    @Override
    public List<List<EntityFeatures>> readViews(List<ViewRead> reads) {
        List<byte[][]> fieldsPerRead = new ArrayList<>(reads.size());
        for (ViewRead r : reads) {
            byte[][] fields = new byte[r.features().size()][];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = r.features().get(i).getBytes(StandardCharsets.UTF_8);
            }
            fieldsPerRead.add(fields);
        }
        List<List<RedisFuture<List<KeyValue<byte[], byte[]>>>>> futures = new ArrayList<>(reads.size());
        pipelineLock.lock();
        try {
            for (int r = 0; r < reads.size(); r++) {
                ViewRead read = reads.get(r);
                List<RedisFuture<List<KeyValue<byte[], byte[]>>>> f = new ArrayList<>(read.keys().size());
                for (EntityKey k : read.keys()) {
                    f.add(redis.pipelineHash.hmget(keys.entity(read.view(), k), fieldsPerRead.get(r)));
                }
                futures.add(f);
            }
            redis.pipeline.flushCommands();
        } finally {
            pipelineLock.unlock();
        }
        List<List<EntityFeatures>> out = new ArrayList<>(reads.size());
        for (int r = 0; r < reads.size(); r++) {
            ViewRead read = reads.get(r);
            List<List<KeyValue<byte[], byte[]>>> replies = await(futures.get(r), "read from view " + read.view());
            Instant now = clock.instant();
            List<EntityFeatures> answer = new ArrayList<>(read.keys().size());
            for (int i = 0; i < read.keys().size(); i++) {
                List<KeyValue<byte[], byte[]>> reply = replies.get(i);
                Map<String, FeatureValue> values = new LinkedHashMap<>(read.features().size() * 2);
                for (int f = 0; f < read.features().size(); f++) {
                    KeyValue<byte[], byte[]> kv = reply.get(f);
                    values.put(read.features().get(f), kv.hasValue()
                            ? FeatureValue.of(ValueCodec.decode(kv.getValue()), now, read.maxAge())
                            : FeatureValue.notFound());
                }
                answer.add(new EntityFeatures(read.keys().get(i), values));
            }
            out.add(answer);
        }
        return out;
    }

    @Override
    public void dropView(String view) {
        OnlineStore.checkView(view);
        ScanArgs args = ScanArgs.Builder.matches(keys.viewPattern(view)).limit(1000);
        try {
            // SCAN covers every upstream node on a cluster; each key is unlinked on its own, so no
            // command spans slots.
            ScanIterator<byte[]> it = ScanIterator.scan(redis.adminKeysSync, args);
            List<RedisFuture<Long>> pending = new ArrayList<>();
            while (it.hasNext()) {
                pending.add(redis.adminKeys.unlink(it.next()));
                if (pending.size() >= 1000) {
                    await(pending, "drop view " + view);
                    pending.clear();
                }
            }
            await(pending, "drop view " + view);
        } catch (io.lettuce.core.RedisException e) {
            throw unavailable("drop view " + view, e);
        }
    }

    /** The configuration this store was connected with. */
    public RedisOnlineStoreConfig config() {
        return config;
    }

    @Override
    public void close() {
        redis.close();
    }

    private static final class ScriptMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScriptMissing() {
            super(null, null, false, false);
        }
    }

    private <T> List<T> await(List<? extends RedisFuture<T>> futures, String what) {
        long deadline = System.nanoTime() + timeoutNanos;
        List<T> out = new ArrayList<>(futures.size());
        boolean scriptMissing = false;
        RuntimeException failure = null;
        for (RedisFuture<T> f : futures) {
            try {
                out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisNoScriptException) {
                    scriptMissing = true;
                } else if (failure == null) {
                    failure = unavailable(what, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new UnavailableException("Redis at " + config.uris() + " did not answer to " + what
                        + " within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while waiting for Redis to " + what, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (scriptMissing) {
            throw new ScriptMissing();
        }
        return out;
    }

    private UnavailableException unavailable(String what, Throwable cause) {
        return new UnavailableException("Redis at " + config.uris() + " failed to " + what + ": " + cause.getMessage(), cause);
    }
}
