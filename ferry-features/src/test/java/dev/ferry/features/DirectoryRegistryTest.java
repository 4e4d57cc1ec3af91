package dev.ferry.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.types.ScalarType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRegistryTest {

    @TempDir
    Path dir;

    FeatureRegistry registry;

    @BeforeEach
    void open() throws Exception {
        Files.writeString(dir.resolve("trips.csv"), "driver_id,event_timestamp,trips,rating\n1,2024-01-01T00:00:00,3,4.5\n");
        registry = FeatureRegistry.open(dir.resolve("registry"), OfflineStore.inspector(),
                Clock.fixed(Instant.parse("2025-05-05T10:00:00Z"), ZoneOffset.UTC));
    }

    FeatureRepository repo(FeatureView.Builder view) {
        return FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(view.build()).service(FeatureService.of("eta", "driver_trips:trips")).build();
    }

    FeatureView.Builder trips() {
        return FeatureView.builder("driver_trips").entity("driver").source(CsvSource.of(dir.resolve("trips.csv"))).feature("trips", "int32");
    }

    @Test
    void reapplyingUnchangedDefinitionsWritesNothing() throws Exception {
        assertThat(registry.apply(repo(trips())).changes()).extracting(ApplyResult.Change::action)
                .containsExactly(ApplyResult.Action.CREATED, ApplyResult.Action.CREATED, ApplyResult.Action.CREATED);
        long files;
        try (var s = Files.walk(dir.resolve("registry"))) {
            files = s.count();
        }
        ApplyResult again = registry.apply(repo(trips()));
        assertThat(again.unchanged()).isTrue();
        try (var s = Files.walk(dir.resolve("registry"))) {
            assertThat(s.count()).isEqualTo(files);
        }
    }

    @Test
    void changingTheSchemaCreatesANewVersionAndOldVersionsStayReadable() {
        registry.apply(repo(trips()));
        ApplyResult r = registry.apply(repo(trips().feature("rating", "float64")));
        assertThat(r.changes()).filteredOn(c -> c.kind().equals("view")).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo(ApplyResult.Action.NEW_VERSION))
                .satisfies(c -> assertThat(c.version()).isEqualTo(2))
                .satisfies(c -> assertThat(c.detail()).isEqualTo("schema"));
        assertThat(registry.view("driver_trips").version()).isEqualTo(2);
        assertThat(registry.view("driver_trips").view().schema().names()).containsExactly("trips", "rating");
        assertThat(registry.view("driver_trips@1").view().schema().names()).containsExactly("trips");
        assertThat(registry.versions("driver_trips")).extracting(RegisteredView::version).containsExactly(1, 2);
        assertThat(registry.view("driver_trips@1").appliedAt()).isEqualTo(Instant.parse("2025-05-05T10:00:00Z"));
    }

    @Test
    void aChangedMaxAgeIsAlsoANewVersionSoPinnedReadersSeeTheOldRule() {
        registry.apply(repo(trips()));
        ApplyResult r = registry.apply(repo(trips().maxAge(Duration.ofDays(1))));
        assertThat(r.changes()).filteredOn(c -> c.kind().equals("view")).singleElement()
                .satisfies(c -> assertThat(c.detail()).isEqualTo("max_age"));
        assertThat(registry.view("driver_trips@1").view().maxAge()).isEmpty();
        assertThat(registry.view("driver_trips@2").view().maxAge()).contains(Duration.ofDays(1));
    }

    @Test
    void unknownViewsAndVersionsAreNotFound() {
        registry.apply(repo(trips()));
        assertThatThrownBy(() -> registry.view("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("driver_trips");
        assertThatThrownBy(() -> registry.view("driver_trips@7")).isInstanceOf(NotFoundException.class).hasMessageContaining("versions: [1]");
    }

    @Test
    void aServicePinningAVersionThatDoesNotExistIsRefused() {
        registry.apply(repo(trips()));
        FeatureRepository pinned = FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64)))
                .view(trips().build()).service(FeatureService.of("eta", "driver_trips@3:trips")).build();
        assertThatThrownBy(() -> registry.apply(pinned)).hasMessageContaining("has no version 3");
    }

    @Test
    void aRegistryFileOfAnUnknownFormatIsRefusedWithFoundAndExpected() throws Exception {
        registry.apply(repo(trips()));
        Path v1 = dir.resolve("registry/views/driver_trips/v1.json");
        Files.writeString(v1, Files.readString(v1).replace("\"format\" : 1", "\"format\" : 9"));
        assertThatThrownBy(() -> registry.view("driver_trips")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has format 9 but this version of Ferry reads format 1");
    }

    @Test
    void definitionsRoundTripThroughTheRegistryUnchanged() {
        FeatureView v = trips().createdTime("created").maxAge(Duration.ofMinutes(90)).online(false).tag("a", "b").description("d").build();
        FeatureView back = DefinitionJson.view(DefinitionJson.view(v));
        assertThat(back).isEqualTo(v);
        PostgresSource pg = new PostgresSource("jdbc:postgresql://h/db", java.util.Optional.empty(), java.util.Optional.of("SELECT 1"),
                java.util.Optional.of("u"), java.util.Optional.of("PGPASS"));
        assertThat(DefinitionJson.source(DefinitionJson.source(pg))).isEqualTo(pg);
    }

    @Test
    void definitionsMissingFromTheRepositoryAreKeptUnlessPruned() {
        registry.apply(repo(trips()));
        FeatureRepository onlyEntity = FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64))).build();

        ApplyResult kept = registry.apply(onlyEntity);
        assertThat(kept.unchanged()).isTrue();
        assertThat(kept.changes()).filteredOn(c -> c.action() == ApplyResult.Action.KEPT)
                .extracting(ApplyResult.Change::name).containsExactlyInAnyOrder("driver_trips", "eta");
        assertThat(registry.view("driver_trips").version()).isEqualTo(1);

        ApplyResult pruned = registry.apply(onlyEntity, true);
        assertThat(pruned.changes()).filteredOn(c -> c.action() == ApplyResult.Action.REMOVED)
                .extracting(ApplyResult.Change::name).containsExactlyInAnyOrder("driver_trips", "eta");
        assertThat(registry.views()).isEmpty();
        assertThat(registry.services()).isEmpty();
        assertThat(registry.entity("driver")).isPresent();
        assertThatThrownBy(() -> registry.view("driver_trips")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("was removed").hasMessageContaining("driver_trips@1");
        // A training set pinned to the removed view can still be rebuilt.
        assertThat(registry.view("driver_trips@1").view().schema().names()).containsExactly("trips");
    }

    @Test
    void applyingARemovedViewAgainRestoresIt() {
        registry.apply(repo(trips()));
        registry.apply(FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64))).build(), true);

        ApplyResult back = registry.apply(repo(trips()));
        assertThat(back.changes()).filteredOn(c -> c.name().equals("driver_trips"))
                .extracting(ApplyResult.Change::action).containsExactly(ApplyResult.Action.RESTORED);
        assertThat(registry.view("driver_trips").version()).isEqualTo(1);

        registry.apply(FeatureRepository.builder().entity(Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64))).build(), true);
        ApplyResult changed = registry.apply(repo(trips().feature("rating", "float64")));
        assertThat(changed.changes()).filteredOn(c -> c.name().equals("driver_trips"))
                .extracting(ApplyResult.Change::action, ApplyResult.Change::version).containsExactly(org.assertj.core.groups.Tuple.tuple(ApplyResult.Action.NEW_VERSION, 2));
        assertThat(registry.views()).extracting(RegisteredView::name).containsExactly("driver_trips");
    }

    @Test
    void concurrentAppliesOfTwoRegistriesOnOneDirectoryNeverLoseAVersion() throws Exception {
        FeatureRegistry other = FeatureRegistry.open(dir.resolve("registry"));
        registry.apply(repo(trips()));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> registry.apply(repo(trips().feature("rating", "float64"))));
            var b = pool.submit(() -> other.apply(repo(trips().feature("rating", "float64").maxAge(Duration.ofDays(2)))));
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
        // Both changes were recorded as versions 2 and 3, in one order or the other.
        assertThat(registry.versions("driver_trips")).extracting(RegisteredView::version).containsExactly(1, 2, 3);
    }
}
