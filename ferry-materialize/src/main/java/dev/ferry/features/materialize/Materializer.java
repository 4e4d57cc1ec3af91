package dev.ferry.features.materialize;

import dev.ferry.InvalidInputException;
import dev.ferry.features.FeatureRecord;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.RegisteredView;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Copies feature values from the offline store to the online store: for each entity, the latest
 * row with an event time in a range is upserted into the view's versioned online name
 * ({@code credit_history@2}). Running it again changes nothing, because the online store keeps
 * the newest event time per feature. {@link #materializeIncremental} continues from a persisted
 * {@link Watermark}; for continuous updates from a stream use the Kafka ingestor instead.
 */
public final class Materializer {

    /** Where an incremental run starts when a view has no watermark yet. */
    public static final Instant BEGINNING = Instant.parse("0001-01-01T00:00:00Z");

    private final FeatureRegistry registry;
    private final OfflineStore offline;
    private final OnlineStore online;
    private final Watermarks watermarks;
    private final Clock clock;
    private final int batchSize;

    private Materializer(Builder b) {
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.offline = Objects.requireNonNull(b.offline, "offline store");
        this.online = Objects.requireNonNull(b.online, "online store");
        this.watermarks = Objects.requireNonNull(b.watermarks, "watermarks");
        this.clock = b.clock;
        this.batchSize = b.batchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the latest row of each entity with event time in {@code [from, to)} of {@code viewRef}
     * ({@code name} for the latest version, or {@code name@version}). Does not move the watermark.
     */
    public MaterializationResult materialize(String viewRef, Instant from, Instant to, ProgressListener progress) {
        RegisteredView rv = registry.view(viewRef);
        return copy(rv, from, to, progress);
    }

    /**
     * Writes what arrived since the view's watermark (from {@link #BEGINNING} on the first run) up
     * to now, then moves the watermark to now. If the write fails half-way the watermark stays, so
     * the next run writes the same rows again; the online upsert makes that harmless. Rows that
     * arrive late, with an event time before the watermark, are not picked up: run
     * {@link #materialize} over their range.
     */
    public MaterializationResult materializeIncremental(String viewRef, ProgressListener progress) {
        RegisteredView rv = registry.view(viewRef);
        Instant to = clock.instant();
        Instant from = watermarks.get(rv.ref()).map(Watermark::watermark).orElse(BEGINNING);
        if (!from.isBefore(to)) {
            progress.progress(0, 0);
            return new MaterializationResult(rv.ref(), from, to, 0, Duration.ZERO);
        }
        MaterializationResult r = copy(rv, from, to, progress);
        watermarks.put(new Watermark(rv.ref(), to, clock.instant(), r.rows()));
        return r;
    }

    private MaterializationResult copy(RegisteredView rv, Instant from, Instant to, ProgressListener progress) {
        if (!rv.view().online()) {
            throw new InvalidInputException("view " + rv.ref() + " has online: false, so it is not materialized;"
                    + " set online: true in its definition to serve it");
        }
        long started = System.nanoTime();
        String target = rv.ref();
        long total = EntityCount.inRange(offline, registry, rv, from, to);
        progress.progress(0, total);
        long done = 0;
        List<OnlineRecord> batch = new ArrayList<>(batchSize);
        try (Stream<FeatureRecord> rows = offline.latest(rv.ref(), from, to)) {
            Iterator<FeatureRecord> it = rows.iterator();
            while (it.hasNext()) {
                batch.add(toOnline(it.next()));
                if (batch.size() == batchSize || !it.hasNext()) {
                    online.write(target, batch);
                    done += batch.size();
                    total = Math.max(total, done);
                    progress.progress(done, total);
                    batch.clear();
                }
            }
        }
        return new MaterializationResult(target, from, to, done, Duration.ofNanos(System.nanoTime() - started));
    }

    static OnlineRecord toOnline(FeatureRecord r) {
        return new OnlineRecord(EntityKey.of(new ArrayList<>(r.key().values().values())), r.features().values(), r.eventTime());
    }

    /** Builds a {@link Materializer}; registry, offline store, online store and watermarks are required. */
    public static final class Builder {
        private FeatureRegistry registry;
        private OfflineStore offline;
        private OnlineStore online;
        private Watermarks watermarks;
        private Clock clock = Clock.systemUTC();
        private int batchSize = 1000;

        private Builder() {
        }

        public Builder registry(FeatureRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder offline(OfflineStore offline) {
            this.offline = offline;
            return this;
        }

        public Builder online(OnlineStore online) {
            this.online = online;
            return this;
        }

        /** Usually {@code Watermarks.in(registryDir)}. */
        public Builder watermarks(Watermarks watermarks) {
            this.watermarks = watermarks;
            return this;
        }

        /** The clock that decides where an incremental run ends. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Records per online write (default 1000). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new InvalidInputException("batch size was " + batchSize + " but it must be at least 1");
            }
            this.batchSize = batchSize;
            return this;
        }

        public Materializer build() {
            return new Materializer(this);
        }
    }
}
