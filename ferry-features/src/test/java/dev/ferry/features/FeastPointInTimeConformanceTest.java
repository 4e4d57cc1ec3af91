package dev.ferry.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reproduces the point-in-time join case of Feast's own test suite (../shared/data/feast-pit). */
@Tag("conformance")
class FeastPointInTimeConformanceTest {

    static final Path DATA = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "feast-pit").toAbsolutePath();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void trainingSetMatchesFeastExpectedRowsExactly() throws Exception {
        Path yaml = dir.resolve("features.yaml");
        Files.writeString(yaml, """
                entities:
                  - name: customer
                    join_keys: {customer_id: int64}
                  - name: driver
                    join_keys: {driver_id: int64}
                views:
                  - name: transactions
                    entities: [customer]
                    source: {csv: %s}
                    event_time: event_timestamp
                    created_time: created_timestamp
                    max_age: 1d
                    features:
                      daily_transactions: float64
                  - name: bookings
                    entities: [driver]
                    source: {csv: %s}
                    event_time: event_timestamp
                    created_time: created_timestamp
                    features:
                      completed_bookings: int64
                """.formatted(DATA.resolve("transactions.csv"), DATA.resolve("bookings.csv")));
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("registry"), OfflineStore.inspector(), CLOCK);
        registry.apply(FeatureRepository.load(yaml));
        Path out = dir.resolve("joined.csv");
        try (OfflineStore store = OfflineStore.open(registry, CLOCK)) {
            TrainingSetManifest m = store.trainingSet(TrainingSetRequest.builder()
                    .entities(EntityRows.file(DATA.resolve("customer_driver_pairs.csv")))
                    .features("transactions:daily_transactions", "bookings:completed_bookings")
                    .output(out).build());
            assertThat(m.views()).extracting(TrainingSetManifest.ViewSummary::matched).containsExactly(2L, 5L);
        }
        List<Map<String, String>> expected = SimpleCsv.read(DATA.resolve("expected_joined.csv"));
        List<Map<String, String>> actual = SimpleCsv.read(out);
        assertThat(SimpleCsv.header(out)).isEqualTo(SimpleCsv.header(DATA.resolve("expected_joined.csv")));
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Map<String, String> e = expected.get(i);
            Map<String, String> a = actual.get(i);
            assertThat(Long.parseLong(a.get("customer_id"))).as("row %d customer_id", i).isEqualTo(Long.parseLong(e.get("customer_id")));
            assertThat(Long.parseLong(a.get("driver_id"))).as("row %d driver_id", i).isEqualTo(Long.parseLong(e.get("driver_id")));
            assertThat(time(a.get("event_timestamp"))).as("row %d event_timestamp", i).isEqualTo(time(e.get("event_timestamp")));
            assertThat(number(a.get("transactions__daily_transactions"))).as("row %d daily_transactions", i)
                    .isEqualTo(number(e.get("transactions__daily_transactions")));
            assertThat(number(a.get("bookings__completed_bookings"))).as("row %d completed_bookings", i)
                    .isEqualTo(number(e.get("bookings__completed_bookings")));
        }
    }

    static LocalDateTime time(String text) {
        return LocalDateTime.parse(text.replace(' ', 'T'));
    }

    static Double number(String text) {
        return text.isEmpty() ? null : Double.valueOf(text);
    }
}
