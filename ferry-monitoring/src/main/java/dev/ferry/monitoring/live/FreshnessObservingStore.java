package dev.ferry.monitoring.live;

import dev.ferry.monitoring.alert.ScoreBoard;
import dev.ferry.monitoring.alert.ScoreKey;
import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The freshness of online values as served: an {@link OnlineStore} that passes every call to the
 * store it wraps and notes, for each value a read returns with an event time, how old that value
 * was at the moment it was read (the feature fetcher's read, so the age at serve time). The read
 * only offers those ages to a bounded queue (never blocking; a full queue drops and counts them in
 * {@code ferry.monitor.freshness.dropped}); {@link #drain()}, called on a schedule (for example
 * before each alert evaluation), turns the ages read since the previous drain into the scores
 * {@code live.feature_age_max_seconds{view,feature}} and {@code live.feature_age_mean_seconds{view,feature}}.
 * Wrap the store given to the serving engine's feature fetcher. Ages are per online view and
 * feature, not per deployment: a value's age is the same whichever model reads it.
 */
public final class FreshnessObservingStore implements OnlineStore {

    private record Age(String view, String feature, long millis) {
    }

    private final OnlineStore store;
    private final Clock clock;
    private final ScoreBoard scores;
    private final BlockingQueue<Age> ages;
    private final Counter dropped;

    /**
     * @param store    the store serving reads and writes
     * @param clock    the clock ages are measured by
     * @param scores   where the ages are published
     * @param capacity ages waiting for {@link #drain()}; more are dropped and counted
     * @param meters   registry of the drop counter
     */
    public FreshnessObservingStore(OnlineStore store, Clock clock, ScoreBoard scores, int capacity, MeterRegistry meters) {
        if (capacity <= 0) {
            throw new dev.ferry.InvalidInputException("freshness queue capacity was " + capacity + " but it must be positive");
        }
        this.store = store;
        this.clock = clock;
        this.scores = scores;
        this.ages = new ArrayBlockingQueue<>(capacity);
        this.dropped = meters.counter("ferry.monitor.freshness.dropped");
    }

    @Override
    public void write(String view, Collection<OnlineRecord> records) {
        store.write(view, records);
    }

    @Override
    public List<EntityFeatures> read(String view, List<EntityKey> keys, List<String> features, Duration maxAge) {
        List<EntityFeatures> out = store.read(view, keys, features, maxAge);
        Instant now = clock.instant();
        for (EntityFeatures ef : out) {
            for (Map.Entry<String, FeatureValue> e : ef.features().entrySet()) {
                if (e.getValue().eventTime().isPresent()
                        && !ages.offer(new Age(view, e.getKey(), Duration.between(e.getValue().eventTime().get(), now).toMillis()))) {
                    dropped.increment();
                }
            }
        }
        return out;
    }

    @Override
    public void dropView(String view) {
        store.dropView(view);
    }

    @Override
    public void close() {
        store.close();
    }

    /** Publishes the maximum and mean age per view and feature of the values read since the last drain. */
    public void drain() {
        List<Age> batch = new ArrayList<>();
        ages.drainTo(batch);
        Map<String, long[]> byFeature = new TreeMap<>();
        for (Age a : batch) {
            long[] s = byFeature.computeIfAbsent(a.view() + '\u001f' + a.feature(), k -> new long[] {0, 0, Long.MIN_VALUE});
            s[0]++;
            s[1] += a.millis();
            s[2] = Math.max(s[2], a.millis());
        }
        byFeature.forEach((k, s) -> {
            int sep = k.indexOf('\u001f');
            String view = k.substring(0, sep);
            String feature = k.substring(sep + 1);
            scores.set(ScoreKey.of("live.feature_age_max_seconds", "view", view, "feature", feature), s[2] / 1000.0);
            scores.set(ScoreKey.of("live.feature_age_mean_seconds", "view", view, "feature", feature), s[1] / 1000.0 / s[0]);
        });
    }
}
