package dev.ferry.online;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.ferry.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-process cache of hot entities in front of another online store (usually Redis), for
 * serving paths that read the same entities often. Staleness is bounded: an entity fetched from the
 * store is answered from memory for less than {@code staleness}, after which it is fetched again;
 * writes made through this decorator invalidate their entities at once, writes made elsewhere are
 * seen within the bound. The number of cached entities is bounded too. Max age is still enforced
 * on every read against the clock.
 */
public final class NearCacheOnlineStore implements OnlineStore {

    /** Writes made through this decorator so far; guards the cache against a read racing a write. */
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();

    // Marks "the store has nothing for this feature" so a known miss is cached too.
    private static final byte[] ABSENT = new byte[0];

    private record CacheKey(String view, EntityKey entity) {
    }

    private final OnlineStore delegate;
    private final Clock clock;
    private final Cache<CacheKey, Map<String, byte[]>> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param delegate     the store to read from and write to; closed with this one
     * @param maxEntities  how many (view, entity) pairs to keep at most
     * @param staleness    how long a fetched entity may be answered from memory
     * @param clock        the time source for both staleness and max age
     */
    public NearCacheOnlineStore(OnlineStore delegate, long maxEntities, Duration staleness, Clock clock) {
        if (maxEntities <= 0) {
            throw new InvalidInputException("near cache maxEntities was " + maxEntities + " but it must be positive");
        }
        if (staleness == null || staleness.isNegative() || staleness.isZero()) {
            throw new InvalidInputException("near cache staleness was " + staleness + " but it must be positive");
        }
        this.delegate = delegate;
        this.clock = clock;
        long stalenessNanos = staleness.toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntities)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                // Maintenance runs on the calling thread: no hidden pool, deterministic in tests.
                .executor(Runnable::run)
                .expireAfter(new Expiry<CacheKey, Map<String, byte[]>>() {
                    @Override
                    public long expireAfterCreate(CacheKey k, Map<String, byte[]> v, long now) {
                        return stalenessNanos;
                    }

                    // Adding features to a cached entity must not extend the life of the ones already there.
                    @Override
                    public long expireAfterUpdate(CacheKey k, Map<String, byte[]> v, long now, long current) {
                        return current;
                    }

                    @Override
                    public long expireAfterRead(CacheKey k, Map<String, byte[]> v, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    @Override
    public void write(String view, Collection<OnlineRecord> records) {
        try {
            delegate.write(view, records);
        } finally {
            // Counted before invalidating: a read that loaded from the store before this write
            // sees the count move and does not cache what it loaded (see read).
            writes.incrementAndGet();
            // Also on failure: a write may have been applied in part.
            if (records != null && view != null) {
                for (OnlineRecord r : records) {
                    if (r != null) {
                        cache.invalidate(new CacheKey(view, r.key()));
                    }
                }
            }
        }
    }

    @Override
    public List<EntityFeatures> read(String view, List<EntityKey> keys, List<String> features, Duration maxAge) {
        OnlineStore.checkRead(view, keys, features, maxAge);
        Map<EntityKey, Map<String, byte[]>> found = new HashMap<>();
        List<EntityKey> missing = new ArrayList<>();
        for (EntityKey k : keys) {
            if (found.containsKey(k)) {
                continue;
            }
            Map<String, byte[]> cached = cache.getIfPresent(new CacheKey(view, k));
            if (cached != null && cached.keySet().containsAll(features)) {
                hits.increment();
                found.put(k, cached);
            } else {
                misses.increment();
                found.put(k, null);
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            long writesBefore = writes.get();
            // Fetched without max age: the cache keeps what is stored and applies max age per read.
            for (EntityFeatures ef : delegate.read(view, missing, features, NO_MAX_AGE)) {
                Map<String, byte[]> fetched = new LinkedHashMap<>();
                ef.features().forEach((f, v) -> fetched.put(f, encodeForCache(v)));
                if (writes.get() != writesBefore) {
                    // A write through this cache ran while we read: what we loaded may be older than it
                    // and must not outlive its invalidation. Answer with it, but do not cache it.
                    found.put(ef.key(), Map.copyOf(fetched));
                    continue;
                }
                CacheKey cacheKey = new CacheKey(view, ef.key());
                Map<String, byte[]> merged = cache.asMap().merge(cacheKey, Map.copyOf(fetched),
                        (old, add) -> {
                            Map<String, byte[]> m = new HashMap<>(old);
                            m.putAll(add);
                            return Map.copyOf(m);
                        });
                if (writes.get() != writesBefore) {
                    // A write counted between the check above and the merge may have invalidated
                    // before the merge landed: take the merged entry out again.
                    cache.asMap().remove(cacheKey, merged);
                }
                found.put(ef.key(), merged);
            }
        }
        Instant now = clock.instant();
        List<EntityFeatures> out = new ArrayList<>(keys.size());
        for (EntityKey k : keys) {
            Map<String, byte[]> stored = found.get(k);
            Map<String, FeatureValue> values = new LinkedHashMap<>(features.size() * 2);
            for (String f : features) {
                byte[] b = stored.get(f);
                values.put(f, b == null || b.length == 0 ? FeatureValue.notFound()
                        : FeatureValue.of(ValueCodec.decode(b), now, maxAge));
            }
            out.add(new EntityFeatures(k, values));
        }
        return out;
    }

    private static byte[] encodeForCache(FeatureValue v) {
        return switch (v.status()) {
            case NOT_FOUND -> ABSENT;
            case PRESENT, NULL_VALUE -> ValueCodec.encode(v.value(), v.eventTime().orElseThrow());
            case OUTSIDE_MAX_AGE -> throw new IllegalStateException("the delegate applied a max age to an unbounded read");
        };
    }

    @Override
    public void dropView(String view) {
        OnlineStore.checkView(view);
        try {
            delegate.dropView(view);
        } finally {
            cache.asMap().keySet().removeIf(k -> k.view().equals(view));
        }
    }

    /** Entity lookups answered from memory since creation. */
    public long hits() {
        return hits.sum();
    }

    /** Entity lookups that went to the delegate (absent, expired, or lacking a requested feature). */
    public long misses() {
        return misses.sum();
    }

    /** The approximate number of cached entities. */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public void close() {
        cache.invalidateAll();
        delegate.close();
    }
}
