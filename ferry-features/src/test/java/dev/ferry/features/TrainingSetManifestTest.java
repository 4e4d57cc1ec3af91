package dev.ferry.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.registry.TrainingData;
import dev.ferry.types.ScalarType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetManifestTest {

    @TempDir
    Path dir;

    FeatureRegistry registry;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("trips.csv"), """
                driver_id,event_timestamp,trips
                1,2024-01-01T00:00:00,3
                1,2024-01-02T00:00:00,4
                2,2024-01-03T00:00:00,oops
                """);
        Files.writeString(dir.resolve("ok.csv"), """
                driver_id,event_timestamp,trips
                1,2024-01-01T00:00:00,3
                1,2024-01-02T00:00:00,4
                """);
        Files.writeString(dir.resolve("entities.csv"), """
                driver_id,event_timestamp,target
                1,2024-01-01T12:00:00,0
                1,2024-01-05T00:00:00,1
                3,2024-01-05T00:00:00,1
                """);
        registry = FeatureRegistry.open(dir.resolve("registry"), OfflineStore.inspector(), Clock.systemUTC());
        registry.apply(FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(FeatureView.builder("trips").entity("driver").source(CsvSource.of(dir.resolve("ok.csv"))).feature("trips", "int32").build())
                .view(FeatureView.builder("bad_trips").entity("driver").source(CsvSource.of(dir.resolve("trips.csv"))).feature("trips", "int32").build())
                .build());
    }

    @Test
    void theManifestRecordsVersionsFingerprintsRangesAndCounts() throws Exception {
        Path out = dir.resolve("out/train.csv");
        Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        TrainingSetManifest m;
        try (OfflineStore store = OfflineStore.open(registry, clock)) {
            m = store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(dir.resolve("entities.csv")))
                    .features("trips").output(out).build());
        }
        assertThat(m.format()).isEqualTo(1);
        assertThat(m.createdAt()).isEqualTo(clock.instant());
        assertThat(m.features()).containsExactly("trips:trips");
        assertThat(m.entities().rows()).isEqualTo(3);
        assertThat(m.entities().fingerprint()).isEqualTo(sha256(dir.resolve("entities.csv")));
        assertThat(m.entities().from()).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
        assertThat(m.entities().to()).isEqualTo(Instant.parse("2024-01-05T00:00:00Z"));
        TrainingSetManifest.ViewSummary v = m.views().get(0);
        assertThat(v.version()).isEqualTo(1);
        assertThat(v.fingerprint()).isEqualTo(sha256(dir.resolve("ok.csv")));
        assertThat(v.sourceRows()).isEqualTo(2);
        assertThat(v.from()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(v.to()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
        assertThat(v.matched()).isEqualTo(2);
        assertThat(m.output().fingerprint()).isEqualTo(sha256(out));
        assertThat(m.output().columns()).containsExactly("driver_id", "event_timestamp", "target", "trips__trips");
        assertThat(SimpleCsv.read(out)).extracting(r -> r.get("trips__trips")).containsExactly("3", "4", "");

        TrainingSetManifest back = TrainingSetManifest.read(OutputFiles.manifestPath(out.toAbsolutePath()));
        assertThat(back).isEqualTo(m);
        TrainingData td = back.toTrainingData();
        assertThat(td.fingerprint()).isEqualTo(sha256(out));
        assertThat(td.source()).isEqualTo(out.toAbsolutePath().toUri().toString());
        assertThat(td.rows()).isEqualTo(3);
        assertThat(td.from()).isEqualTo(m.entities().from());
        assertThat(td.to()).isEqualTo(m.entities().to());
        try (var files = Files.list(out.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("train.csv", "train.csv.manifest.json");
        }
    }

    @Test
    void textTimestampsWithAnOffsetAreComparedInUtc() throws Exception {
        Files.writeString(dir.resolve("tz.csv"), """
                driver_id,event_timestamp,trips
                1,2024-01-01T10:00:00+02:00,1
                1,2024-01-01T09:30:00Z,2
                """);
        Files.writeString(dir.resolve("tz-entities.csv"), "driver_id,event_timestamp\n1,2024-01-01T09:00:00\n1,2024-01-01T09:45:00\n");
        FeatureRegistry r = FeatureRegistry.open(dir.resolve("tzreg"), OfflineStore.inspector(), Clock.systemUTC());
        r.apply(FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(FeatureView.builder("tz").entity("driver").source(CsvSource.of(dir.resolve("tz.csv"))).feature("trips", "int32").build())
                .build());
        Path out = dir.resolve("tz-out.csv");
        try (OfflineStore store = OfflineStore.open(r)) {
            store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(dir.resolve("tz-entities.csv")))
                    .features("tz:trips").output(out).build());
        }
        // 10:00+02:00 is 08:00 UTC: at 09:00 it is the latest row; at 09:45 the 09:30Z row is.
        assertThat(SimpleCsv.read(out)).extracting(x -> x.get("tz__trips")).containsExactly("1", "2");
    }

    @Test
    void aManifestOfAnUnknownFormatIsRefused() throws Exception {
        Path f = dir.resolve("m.json");
        Files.writeString(f, "{\"format\": 2}");
        assertThatThrownBy(() -> TrainingSetManifest.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has format 2 but this version of Ferry reads format 1");
    }

    @Test
    void aValueThatDoesNotCastNamesTheViewColumnAndValueAndWritesNothing() {
        Path out = dir.resolve("bad.parquet");
        try (OfflineStore store = OfflineStore.open(registry)) {
            assertThatThrownBy(() -> store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(dir.resolve("entities.csv")))
                    .features("bad_trips:trips").output(out).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("view 'bad_trips@1' column 'trips' has the value 'oops' which cannot be cast to int32");
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void entityRowsWithoutTheJoinKeysAreRefusedNamingTheMissingColumns() throws Exception {
        Files.writeString(dir.resolve("e2.csv"), "rider_id,ts\n1,2024-01-01T00:00:00\n");
        try (OfflineStore store = OfflineStore.open(registry)) {
            assertThatThrownBy(() -> store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(dir.resolve("e2.csv")))
                    .features("trips").output(dir.resolve("x.csv")).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("lack the columns [event_timestamp (time), driver_id]");
        }
    }

    @Test
    void adHocSqlSeesViewsByNameWithTheirDeclaredTypes() {
        try (OfflineStore store = OfflineStore.open(registry)) {
            QueryResult r = store.sql("SELECT driver_id, sum(trips) AS total, max(event_timestamp) AS last FROM trips GROUP BY driver_id", 10);
            assertThat(r.columns()).containsExactly("driver_id", "total", "last");
            assertThat(r.rows()).singleElement().satisfies(row -> {
                assertThat(row.get("driver_id")).isEqualTo(1L);
                assertThat(((Number) row.get("total")).longValue()).isEqualTo(7L);
                assertThat(row.get("last")).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
            });
            assertThat(store.sql("SELECT * FROM range(5)", 3).truncated()).isTrue();
        }
    }

    static String sha256(Path p) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
