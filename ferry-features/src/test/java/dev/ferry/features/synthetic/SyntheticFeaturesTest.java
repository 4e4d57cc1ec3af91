package dev.ferry.features.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.features.EntityRows;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.features.TrainingSetRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticFeaturesTest {

    static final SyntheticFeatures.Spec SMALL = new SyntheticFeatures.Spec(7, 3000, 3, 6000, 400,
            Instant.parse("2024-01-01T00:00:00Z"), Duration.ofDays(20), Duration.ofDays(2));

    @TempDir
    Path dir;

    @Test
    void theSameSeedWritesTheSameFiles() throws Exception {
        SyntheticFeatures.Dataset a = SyntheticFeatures.generate(SMALL, dir.resolve("a"));
        SyntheticFeatures.Dataset b = SyntheticFeatures.generate(SMALL, dir.resolve("b"));
        assertThat(Files.mismatch(a.entities(), b.entities())).isEqualTo(-1L);
        for (int v = 0; v < 3; v++) {
            assertThat(Files.mismatch(a.viewFiles().get(v), b.viewFiles().get(v))).isEqualTo(-1L);
        }
        SyntheticFeatures.Dataset c = SyntheticFeatures.generate(new SyntheticFeatures.Spec(8, 3000, 3, 6000, 400,
                SMALL.start(), SMALL.span(), SMALL.maxAge()), dir.resolve("c"));
        assertThat(Files.mismatch(a.entities(), c.entities())).isNotEqualTo(-1L);
    }

    @Test
    void aTrainingSetEqualsTheHandWrittenAsofJoin() throws Exception {
        SyntheticFeatures.Dataset d = SyntheticFeatures.generate(SMALL, dir.resolve("data"));
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("registry"));
        registry.apply(d.repository());
        Path out = dir.resolve("train.parquet");
        TrainingSetManifest m;
        try (OfflineStore store = OfflineStore.open(registry)) {
            m = store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(d.entities()))
                    .features(d.viewNames().toArray(String[]::new)).output(out).build());
        }
        assertThat(m.entities().rows()).isEqualTo(3000);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            String ours = "SELECT * FROM read_parquet('" + out + "')";
            String theirs = "SELECT * FROM (" + SyntheticFeatures.handWrittenAsofJoin(d) + ")";
            assertThat(count(s, "SELECT count(*) FROM ((" + ours + ") EXCEPT ALL (" + theirs + "))")).isZero();
            assertThat(count(s, "SELECT count(*) FROM ((" + theirs + ") EXCEPT ALL (" + ours + "))")).isZero();
            // Max age and unmatched users must both occur, or the comparison proves little.
            assertThat(m.views().get(0).matched()).isBetween(100L, 2900L);
            assertThat(count(s, "SELECT count(*) FROM (" + ours + ") WHERE view_2__f2_a IS NOT NULL")).isEqualTo(m.views().get(2).matched());
        }
    }

    static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
