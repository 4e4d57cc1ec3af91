package dev.ferry.features.materialize;

import dev.ferry.features.CsvSource;
import dev.ferry.features.Entity;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.OfflineStore;
import dev.ferry.types.ScalarType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A driver_trips view over a CSV written by the test, with the expected latest row per driver
 * computed here in plain Java (not by DuckDB), so materialization is checked against a reference
 * it did not compute.
 */
final class TripsFixture {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** Expected state: driver id -> latest row. */
    record Trip(long driver, Instant time, long trips, double rating, String city) {
    }

    final Path csv;
    final Path registryDir;
    final Map<Long, Trip> latest = new HashMap<>();
    final Random random = new Random(42);
    private final java.util.Set<String> times = new java.util.HashSet<>();
    FeatureRegistry registry;

    TripsFixture(Path dir) throws IOException {
        this.csv = dir.resolve("trips.csv");
        this.registryDir = dir.resolve("registry");
        Files.writeString(csv, "driver_id,event_timestamp,trips,rating,city\n");
    }

    /** Appends {@code rows} random rows for drivers {@code 0..drivers-1} with times in [start, start+span). */
    void append(int rows, int drivers, Instant start, Duration span) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            long d = random.nextInt(drivers);
            Instant t = start.plusSeconds(random.nextLong(span.toSeconds()));
            if (!times.add(d + "@" + t)) {
                i--; // an entity never has two rows at one event time, so "latest" is unambiguous
                continue;
            }
            Trip trip = new Trip(d, t, random.nextInt(1000), Math.round(random.nextDouble() * 500) / 100.0, "c" + random.nextInt(5));
            sb.append(d).append(',').append(LocalDateTime.ofInstant(t, ZoneOffset.UTC)).append(',')
                    .append(trip.trips).append(',').append(trip.rating).append(',').append(trip.city).append('\n');
            latest.merge(d, trip, (a, b) -> b.time.isAfter(a.time) ? b : a);
        }
        Files.writeString(csv, sb, StandardOpenOption.APPEND);
    }

    FeatureRegistry apply(Clock clock) {
        return apply(clock, "float64");
    }

    /** Applies the view with {@code rating} of the given type; a different type makes a new version. */
    FeatureRegistry apply(Clock clock, String ratingType) {
        FeatureView.Builder v = FeatureView.builder("driver_trips").entity("driver").source(CsvSource.of(csv))
                .feature("trips", "int64").feature("rating", ratingType).feature("city", "string");
        registry = FeatureRegistry.open(registryDir, OfflineStore.inspector(), clock);
        registry.apply(FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(v.build()).build());
        return registry;
    }
}
