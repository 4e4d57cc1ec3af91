package dev.ferry.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.features.CsvSource;
import dev.ferry.features.Entity;
import dev.ferry.features.EntityRows;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.TrainingSetRequest;
import dev.ferry.types.ScalarType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetProfilerTest {

    @TempDir
    Path dir;

    @Test
    void profilesTheFeaturesAndLabelOfAPointInTimeTrainingSet() throws Exception {
        // one score per user on day 1 (score = user) and day 2 (score = 10 * user); entity rows on day 2 see the second
        List<String> source = new ArrayList<>(List.of("user_id,event_timestamp,score"));
        List<String> entities = new ArrayList<>(List.of("user_id,event_timestamp,label"));
        for (int user = 1; user <= 20; user++) {
            source.add(user + ",2024-05-01T00:00:00," + user);
            source.add(user + ",2024-05-02T00:00:00," + (10 * user));
            entities.add(user + ",2024-05-02T12:00:00," + (user % 2));
        }
        Files.write(dir.resolve("scores.csv"), source);
        Files.write(dir.resolve("entities.csv"), entities);
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("registry"), OfflineStore.inspector(), clock);
        registry.apply(FeatureRepository.builder()
                .entity(Entity.of("user", new JoinKey("user_id", ScalarType.INT64)))
                .view(FeatureView.builder("user_scores").entity("user").source(CsvSource.of(dir.resolve("scores.csv")))
                        .feature("score", "float64").build())
                .build());
        try (OfflineStore store = OfflineStore.open(registry, clock)) {
            TrainingSetProfiler.Result r = TrainingSetProfiler.profile(store, TrainingSetRequest.builder()
                    .entities(EntityRows.file(dir.resolve("entities.csv"))).features("user_scores:score")
                    .output(dir.resolve("train.parquet")).build(), Set.of("label"), n -> { });
            DatasetProfile p = r.profile();
            assertThat(p.rowCount()).isEqualTo(20);
            assertThat(p.names()).containsExactlyInAnyOrder("user_scores__score", "label");
            assertThat(p.feature("user_scores__score").orElseThrow().numeric().orElseThrow().mean()).isCloseTo(105.0, within(1e-9));
            assertThat(p.feature("label").orElseThrow().frequentValues()).containsEntry("0", 10L).containsEntry("1", 10L);
            assertThat(r.manifest().output().rows()).isEqualTo(20);
        }
    }
}
