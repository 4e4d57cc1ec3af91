package dev.ferry.serving;

import dev.ferry.types.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FeatureFetcher} over a map held in memory: for tests, demos and services that push
 * their own features. A value older than {@code maxAge} (by the injected clock) is served but
 * flagged stale. Use the online feature store's fetcher in production.
 */
public final class InMemoryFeatureFetcher implements FeatureFetcher {

    private record Stored(Map<String, Object> values, Instant at) {
    }

    private final Map<String, Stored> byEntity = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration maxAge;

    public InMemoryFeatureFetcher(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** Stores (replacing) the feature values of one entity, written now. */
    public void put(Map<String, Object> entity, Map<String, Object> values) {
        byEntity.put(key(entity), new Stored(new LinkedHashMap<>(values), clock.instant()));
    }

    @Override
    public FetchedFeatures fetch(FeatureRequest request) {
        List<Row> rows = new ArrayList<>(request.entities().size());
        List<String> missing = new ArrayList<>();
        Instant now = clock.instant();
        for (Map<String, Object> entity : request.entities()) {
            Stored s = byEntity.get(key(entity));
            Map<String, Object> row = new LinkedHashMap<>();
            for (String f : request.features()) {
                Object v = s == null ? null : s.values().get(f);
                row.put(f, v);
                if (v == null) {
                    missing.add(entity + ": " + f + " missing");
                }
            }
            if (s != null && Duration.between(s.at(), now).compareTo(maxAge) > 0) {
                missing.add(entity + ": stale, written " + s.at());
            }
            rows.add(new Row(row));
        }
        return new FetchedFeatures(rows, !missing.isEmpty(), missing);
    }

    private static String key(Map<String, Object> entity) {
        return new TreeMap<>(entity).toString();
    }
}
