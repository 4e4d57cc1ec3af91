package dev.ferry.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ValidationFailedException;
import dev.ferry.types.ScalarType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryValidationTest {

    @TempDir
    Path dir;

    @BeforeEach
    void data() throws Exception {
        Files.writeString(dir.resolve("trips.csv"), "driver_id,event_timestamp,created,trips,rating\n1,2024-01-01T00:00:00,2024-01-01T00:00:00,3,4.5\n");
    }

    @Test
    void aGoodYamlRepositoryLoadsIntoTheSameObjectsAsTheBuilder() throws Exception {
        Path yaml = dir.resolve("features.yaml");
        Files.writeString(yaml, """
                entities:
                  - name: driver
                    join_keys: {driver_id: int64}
                    description: a driver
                sources:
                  - name: trips_src
                    csv: trips.csv
                views:
                  - name: driver_trips
                    entities: [driver]
                    source: trips_src
                    created_time: created
                    max_age: 2h
                    online: false
                    tags: {team: mobility}
                    features:
                      trips: int32
                      rating: float32
                services:
                  - name: eta_model
                    features: [driver_trips:trips, driver_trips]
                """);
        FeatureRepository loaded = FeatureRepository.load(dir);
        FeatureView expected = FeatureView.builder("driver_trips").entity("driver").source(CsvSource.of(dir.resolve("trips.csv")))
                .createdTime("created").maxAge(Duration.ofHours(2)).online(false).tag("team", "mobility")
                .feature("trips", "int32").feature("rating", "float32").build();
        assertThat(loaded.view("driver_trips")).contains(expected);
        assertThat(loaded.entity("driver")).contains(new Entity("driver", List.of(new JoinKey("driver_id", ScalarType.INT64)), "a driver"));
        assertThat(loaded.service("eta_model").orElseThrow().features()).extracting(FeatureRef::toString)
                .containsExactly("driver_trips:trips", "driver_trips");
        assertThat(loaded.validate(OfflineStore.inspector())).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsFileAndLine() throws Exception {
        Path a = dir.resolve("a.yaml");
        Files.writeString(a, """
                entities:
                  - name: driver
                    join_keys: {driver_id: int64}
                views:
                  - name: driver_trips
                    entities: [driver, rider]
                    source: {csv: trips.csv}
                    max_age: two hours
                    features:
                      trips: int33
                      rating: float32
                      speed: float32
                  - name: driver_stats
                    entities: [driver]
                    source: {csv: trips.csv}
                    event_time: created_at
                    features:
                      trips: int64
                services:
                  - name: eta
                    features: [driver_trips:trips, nowhere:thing, driver_stats:nothing]
                """);
        Path b = dir.resolve("b.yaml");
        Files.writeString(b, """
                entities:
                  - name: driver
                    join_keys: {driver_id: string}
                """);
        List<Problem> problems = FeatureRepository.load(a, b).validate(OfflineStore.inspector());
        String file = a.toString();
        assertThat(problems).extracting(Problem::toString).anySatisfy(p -> assertThat(p).startsWith(file + ":8:").contains("max_age"))
                .anySatisfy(p -> assertThat(p).startsWith(file + ":10:").contains("int33"))
                .anySatisfy(p -> assertThat(p).startsWith(b + ":2:").contains("entity 'driver' is defined more than once"))
                .anySatisfy(p -> assertThat(p).startsWith(file + ":16:").contains("event time column 'created_at' is not a column"))
                .anySatisfy(p -> assertThat(p).startsWith(file + ":21:").contains("view 'nowhere'"))
                .anySatisfy(p -> assertThat(p).startsWith(file + ":21:").contains("feature 'nothing'"));
        // driver_trips is broken (bad type, bad max age) so it is not defined; the service reference to it is reported too.
        assertThat(problems).hasSize(7);
        assertThat(problems).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("view 'driver_trips' which is not defined"));
    }

    @Test
    void aColumnMissingFromTheSourceAndAnUnknownEntityAreFoundInAValidView() throws Exception {
        Path yaml = dir.resolve("features.yaml");
        Files.writeString(yaml, """
                entities:
                  - name: driver
                    join_keys: {driver_id: int64}
                views:
                  - name: driver_trips
                    entities: [driver, rider]
                    source: {csv: trips.csv}
                    features:
                      trips: int32
                      speed: float32
                """);
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("reg"), OfflineStore.inspector(), Clock.systemUTC());
        assertThatThrownBy(() -> registry.apply(FeatureRepository.load(yaml)))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("2 problems")
                .hasMessageContaining(yaml + ":6: view 'driver_trips' refers to entity 'rider' which is not defined")
                .hasMessageContaining(yaml + ":10: view 'driver_trips' feature 'speed' is not a column of its source");
        assertThat(registry.views()).isEmpty();
    }

    @Test
    void definitionsBuiltInJavaAreCheckedTheSameWay() {
        FeatureRepository repo = FeatureRepository.builder()
                .entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(FeatureView.builder("v").entity("driver").source(CsvSource.of(dir.resolve("missing.csv"))).feature("x", "int32").build())
                .view(FeatureView.builder("v").entity("driver").source(CsvSource.of(dir.resolve("trips.csv"))).feature("trips", "int32").build())
                .build();
        assertThat(repo.validate(OfflineStore.inspector())).extracting(Problem::toString)
                .containsExactly("<java view v>: view 'v' is defined more than once (first at <java view v>); names must be unique",
                        "<java view v>: view 'v' source csv:" + dir.resolve("missing.csv") + " cannot be read: source file "
                                + dir.resolve("missing.csv") + " does not exist");
    }

    @Test
    void anIntegerFeatureOverAFractionalColumnIsRefusedRatherThanRounded() throws Exception {
        Files.writeString(dir.resolve("r.csv"), "driver_id,event_timestamp,rating\n1,2024-01-01T00:00:00,4.5\n");
        FeatureRepository repo = FeatureRepository.builder()
                .entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(FeatureView.builder("r").entity("driver").source(CsvSource.of(dir.resolve("r.csv"))).feature("rating", "int32").build())
                .build();
        // CSV columns are text, so the mistake shows when the value is cast; a Parquet DOUBLE column is refused up front.
        Path parquet = dir.resolve("r.parquet");
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
            s.execute("COPY (SELECT 1::BIGINT AS driver_id, TIMESTAMP '2024-01-01' AS event_timestamp, 4.5::DOUBLE AS rating) TO '" + parquet + "' (FORMAT parquet)");
        }
        FeatureRepository fromParquet = FeatureRepository.builder()
                .entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(FeatureView.builder("r").entity("driver").source(new ParquetSource(parquet)).feature("rating", "int32").build())
                .build();
        assertThat(repo.validate(OfflineStore.inspector())).isEmpty();
        assertThat(fromParquet.validate(OfflineStore.inspector())).singleElement().extracting(Problem::message).asString()
                .contains("feature 'rating' is declared int32 but its source column has type DOUBLE");
    }

    @Test
    void yamlSyntaxErrorsAreReportedWithTheirLine() throws Exception {
        Path yaml = dir.resolve("broken.yaml");
        Files.writeString(yaml, "entities:\n  - name: driver\n    join_keys: {driver_id: int64\n");
        assertThat(FeatureRepository.load(yaml).validate(null)).singleElement()
                .satisfies(p -> assertThat(p.file()).isEqualTo(yaml.toString()))
                .satisfies(p -> assertThat(p.message()).startsWith("is not valid YAML"));
    }

    @Test
    void aDirectoryPassesOverOtherFerryDocumentsButNotOverBrokenDefinitions() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("features.yaml"), """
                entities:
                  - {name: driver, join_keys: {driver_id: int64}}
                """);
        Files.writeString(repo.resolve("pipeline.yaml"), "pipeline: train\nseed: 1\nsteps: []\n");
        Files.writeString(repo.resolve("quality.yaml"), "checks:\n  - view: driver_trips\n");
        assertThat(FeatureRepository.load(repo).entities()).extracting(Entity::name).containsExactly("driver");

        // a file that mixes definitions with another kind's key is still read, and its problem reported
        Files.writeString(repo.resolve("mixed.yaml"), "pipeline: x\nentities:\n  - {name: 7}\n");
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("registry"));
        assertThatThrownBy(() -> registry.apply(FeatureRepository.load(repo))).isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("mixed.yaml");
        // named on its own, a pipeline file is read as definitions and refused
        assertThatThrownBy(() -> registry.apply(FeatureRepository.load(repo.resolve("pipeline.yaml"))))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("pipeline.yaml").hasMessageContaining("unknown key 'pipeline'");
    }
}
