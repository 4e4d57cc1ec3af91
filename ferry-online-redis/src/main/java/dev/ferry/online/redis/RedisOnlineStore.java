package dev.ferry.online.redis;

import dev.ferry.UnavailableException;
import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityMerge;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ValueCodec;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The online store on Redis or Redis Cluster, shared by every server that reads features. One
 * string per view and entity holds that entity's features in ValueCodec's entity encoding (see
 * RedisKeys); a write runs a Lua script per entity that keeps the newer event time per feature on
 * the server, so out-of-order writers from many processes stay correct; a read of N entities is
 * one MGET (N GETs flushed together on a cluster), one round trip.
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
            store.checkLayout();
            store.await(List.of(connections.adminScripting.scriptLoad(UpsertScript.BYTES)), "load the upsert script");
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        return store;
    }

    /**
     * Records the key layout under the prefix, or refuses to go on if another one is recorded: a
     * store written in another layout must be materialized again under a new prefix (or dropped)
     * rather than be read as if it were empty.
     */
    private void checkLayout() {
        byte[] marker = keys.layoutMarker();
        byte[] layout = RedisKeys.LAYOUT.getBytes(StandardCharsets.UTF_8);
        byte[] found;
        try {
            redis.adminStrings.setnx(marker, layout);
            found = redis.adminStrings.get(marker);
        } catch (io.lettuce.core.RedisException e) {
            throw unavailable("record the key layout", e);
        }
        if (!java.util.Arrays.equals(found, layout)) {
            throw new dev.ferry.ValidationFailedException("Redis at " + config.uris() + " holds online features under prefix '"
                    + config.keyPrefix() + "' in layout '" + (found == null ? "none" : new String(found, StandardCharsets.UTF_8))
                    + "' but this Ferry reads layout '" + RedisKeys.LAYOUT + "'; materialize the views again under a new"
                    + " key prefix, or drop the old keys");
        }
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

    /**
     * Every view's entities are read in one pipeline flush, one network round trip however many
     * views: on a standalone Redis one MGET of all the keys, on a cluster one GET per key (Lettuce
     * routes each to its slot's node). Each value is a whole entity, so a read of 100 entities x 50
     * features parses 100 replies, not 5,000, and each is decoded into its answer as it is parsed
     * ({@link AnswerOutput}).
     */
    @Override
    public List<List<EntityFeatures>> readViews(List<ViewRead> reads) {
        int total = 0;
        for (ViewRead r : reads) {
            total += r.keys().size();
        }
        byte[][] all = new byte[total][];
        EntityKey[] entityKeys = new EntityKey[total];
        ValueCodec.Wanted[] wanted = new ValueCodec.Wanted[total];
        Duration[] maxAges = new Duration[total];
        int n = 0;
        for (ViewRead r : reads) {
            byte[] viewPrefix = keys.entityPrefix(r.view());
            ValueCodec.Wanted w = ValueCodec.Wanted.of(r.features());
            for (EntityKey k : r.keys()) {
                entityKeys[n] = k;
                wanted[n] = w;
                maxAges[n] = r.maxAge();
                all[n++] = RedisKeys.entity(viewPrefix, k);
            }
        }
        EntityFeatures[] answers = total == 0 ? new EntityFeatures[0]
                : fetch(all, new AnswerOutput.Answers(entityKeys, wanted, maxAges, clock.instant()), reads);
        List<List<EntityFeatures>> out = new ArrayList<>(reads.size());
        int at = 0;
        for (ViewRead read : reads) {
            out.add(java.util.Arrays.asList(answers).subList(at, at + read.keys().size()));
            at += read.keys().size();
        }
        return out;
    }

    private EntityFeatures[] fetch(byte[][] all, AnswerOutput.Answers answers, List<ViewRead> reads) {
        // named only if the read fails: building the text on every read is hot-path work for nothing
        java.util.function.Supplier<String> what = () -> "read from view" + (reads.size() == 1 ? " " + reads.get(0).view()
                : "s " + reads.stream().map(ViewRead::view).toList());
        List<RedisFuture<Void>> futures;
        AnswerOutput[] outputs = new AnswerOutput[config.cluster() ? all.length : 1];
        pipelineLock.lock();
        try {
            if (!config.cluster()) {
                outputs[0] = AnswerOutput.forAll(answers);
                futures = List.of(redis.pipelineBase.dispatch(CommandType.MGET, outputs[0],
                        new CommandArgs<>(ByteArrayCodec.INSTANCE).addKeys(all)));
            } else {
                futures = new ArrayList<>(all.length);
                for (int i = 0; i < all.length; i++) {
                    outputs[i] = AnswerOutput.forSlot(answers, i);
                    futures.add(redis.pipelineBase.dispatch(CommandType.GET, outputs[i],
                            new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(all[i])));
                }
            }
            redis.pipeline.flushCommands();
        } finally {
            pipelineLock.unlock();
        }
        try {
            await(futures, what);
            return answers.get();
        } finally {
            for (AnswerOutput o : outputs) {
                if (o != null) {
                    o.release();
                }
            }
        }
    }

    @Override
    public void dropView(String view) {
        OnlineStore.checkView(view);
        try {
            for (String pattern : keys.viewPatterns(view)) {
                // SCAN covers every upstream node on a cluster; each key is unlinked on its own, so no
                // command spans slots.
                ScanIterator<byte[]> it = ScanIterator.scan(redis.adminKeysSync, ScanArgs.Builder.matches(pattern).limit(1000));
                List<RedisFuture<Long>> pending = new ArrayList<>();
                while (it.hasNext()) {
                    pending.add(redis.adminKeys.unlink(it.next()));
                    if (pending.size() >= 1000) {
                        await(pending, "drop view " + view);
                        pending.clear();
                    }
                }
                await(pending, "drop view " + view);
            }
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
        return await(futures, () -> what);
    }

    private <T> List<T> await(List<? extends RedisFuture<T>> futures, java.util.function.Supplier<String> what) {
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
                } else if (failure == null && e.getCause() != null && e.getCause().getMessage() != null
                        && e.getCause().getMessage().contains("ferry: ")) {
                    // the upsert script refused what is stored (another codec version): the data, not Redis, is at fault
                    failure = new dev.ferry.ValidationFailedException("Redis at " + config.uris() + " refused to " + what.get() + ": "
                            + e.getCause().getMessage().substring(e.getCause().getMessage().indexOf("ferry: ") + 7), e.getCause());
                } else if (failure == null) {
                    failure = unavailable(what.get(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new UnavailableException("Redis at " + config.uris() + " did not answer to " + what.get()
                        + " within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while waiting for Redis to " + what.get(), e);
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
