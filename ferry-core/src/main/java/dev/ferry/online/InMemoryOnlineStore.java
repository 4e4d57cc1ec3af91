package dev.ferry.online;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference online store: everything in a map in this JVM, lost at exit. Use it in tests and
 * single-process demos; use RocksDbOnlineStore for an embedded store that persists, and
 * RedisOnlineStore for one shared by many servers. Values are kept encoded, so callers' arrays
 * can be changed after a write without changing what is stored.
 */
public final class InMemoryOnlineStore implements OnlineStore {

    private final Clock clock;
    private final Map<String, Map<EntityKey, Map<String, byte[]>>> views = new ConcurrentHashMap<>();

    public InMemoryOnlineStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void write(String view, Collection<OnlineRecord> records) {
        OnlineStore.checkWrite(view, records);
        Map<EntityKey, Map<String, byte[]>> entities = views.computeIfAbsent(view, v -> new ConcurrentHashMap<>());
        for (OnlineRecord r : records) {
            // compute() is atomic per key; the stored map is replaced, never changed, so readers see whole entities.
            entities.compute(r.key(), (k, stored) -> Collections.unmodifiableMap(EntityMerge.apply(stored, r)));
        }
    }

    @Override
    public List<EntityFeatures> read(String view, List<EntityKey> keys, List<String> features, Duration maxAge) {
        OnlineStore.checkRead(view, keys, features, maxAge);
        Instant now = clock.instant();
        Map<EntityKey, Map<String, byte[]>> entities = views.getOrDefault(view, Map.of());
        List<EntityFeatures> out = new ArrayList<>(keys.size());
        for (EntityKey k : keys) {
            out.add(EntityMerge.answer(k, entities.get(k), features, now, maxAge));
        }
        return out;
    }

    @Override
    public void dropView(String view) {
        OnlineStore.checkView(view);
        views.remove(view);
    }

    @Override
    public void close() {
        views.clear();
    }
}
