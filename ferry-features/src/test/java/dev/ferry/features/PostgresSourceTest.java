package dev.ferry.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ValidationFailedException;
import dev.ferry.types.ScalarType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL tables and queries as view sources, on a real server. */
class PostgresSourceTest {

    @TempDir
    static Path tmp;

    static TestPostgres pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.start(tmp);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ferry_trips");
            s.execute("CREATE TABLE ferry_trips (driver_id bigint, event_timestamp timestamptz, created timestamptz, trips integer, rating double precision, city text)");
            s.execute("""
                    INSERT INTO ferry_trips VALUES
                    (1, '2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', 3, 4.5, 'Oslo'),
                    (1, '2024-01-02 00:00:00+00', '2024-01-02 00:00:00+00', 4, 4.0, 'Oslo'),
                    (1, '2024-01-02 00:00:00+00', '2024-01-03 00:00:00+00', 5, 3.5, 'Bergen'),
                    (2, '2024-01-01 01:00:00+01', '2024-01-01 00:00:00+00', 7, null, null)
                    """);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    FeatureRegistry registry(Source source) {
        FeatureRegistry r = FeatureRegistry.open(dir.resolve("registry"), OfflineStore.inspector(), Clock.systemUTC());
        r.apply(FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(FeatureView.builder("trips").entity("driver").source(source).createdTime("created").maxAge(Duration.ofDays(2))
                        .feature("trips", "int32").feature("rating", "float64").feature("city", "string").build())
                .build());
        return r;
    }

    @Test
    void aTableIsJoinedPointInTimeLikeAFile() throws Exception {
        FeatureRegistry registry = registry(PostgresSource.table(pg.jdbcUrl(), "ferry_trips"));
        java.nio.file.Files.writeString(dir.resolve("e.csv"), """
                driver_id,event_timestamp
                1,2024-01-01T12:00:00
                1,2024-01-02T12:00:00
                1,2024-01-09T00:00:00
                2,2024-01-01T00:00:00
                """);
        Path out = dir.resolve("t.csv");
        try (OfflineStore store = OfflineStore.open(registry)) {
            TrainingSetManifest m = store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(dir.resolve("e.csv")))
                    .features("trips").output(out).fullFeatureNames(false).build());
            assertThat(m.views().get(0).fingerprint()).startsWith("sha256:");
            assertThat(m.views().get(0).sourceRows()).isEqualTo(4);
            // 2024-01-01 01:00+01 is midnight UTC: the offset is honoured.
            assertThat(m.views().get(0).from()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        }
        assertThat(SimpleCsv.read(out)).extracting(r -> r.get("trips") + "/" + r.get("rating") + "/" + r.get("city"))
                .containsExactly("3/4.5/Oslo", "5/3.5/Bergen", "//", "7//");
    }

    @Test
    void aQuerySourceIsValidatedAgainstItsColumnsAndFingerprintedByContent() throws Exception {
        FeatureRegistry bad = FeatureRegistry.open(dir.resolve("bad"), OfflineStore.inspector(), Clock.systemUTC());
        assertThatThrownBy(() -> bad.apply(FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(FeatureView.builder("trips").entity("driver")
                        .source(PostgresSource.query(pg.jdbcUrl(), "SELECT driver_id, event_timestamp, trips FROM ferry_trips"))
                        .feature("trips", "int32").feature("rating", "float64").build()).build()))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("feature 'rating' is not a column of its source");

        PostgresSource q = PostgresSource.query(pg.jdbcUrl(), "SELECT * FROM ferry_trips WHERE driver_id = 1");
        FeatureRegistry registry = registry(q);
        String before;
        try (OfflineStore store = OfflineStore.open(registry);
             var rows = store.latest("trips", Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-02-01T00:00:00Z"))) {
            List<FeatureRecord> latest = rows.toList();
            assertThat(latest).singleElement().satisfies(r -> {
                assertThat(r.features().get("trips")).isEqualTo(5);
                assertThat(r.eventTime()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
            });
            before = SourceStats.fingerprint(engineOf(store), q);
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("UPDATE ferry_trips SET trips = 6 WHERE trips = 5");
        }
        try (OfflineStore store = OfflineStore.open(registry)) {
            assertThat(SourceStats.fingerprint(engineOf(store), q)).isNotEqualTo(before);
        } finally {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("UPDATE ferry_trips SET trips = 5 WHERE trips = 6");
            }
        }
    }

    static DuckEngine engineOf(OfflineStore store) {
        return store.engine();
    }
}
