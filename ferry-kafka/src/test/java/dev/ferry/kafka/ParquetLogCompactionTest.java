package dev.ferry.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineRecord;
import dev.ferry.types.ScalarType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction of the offline log: every row kept once, through redelivery and through a crash half-way. */
class ParquetLogCompactionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final List<JoinKey> KEYS = List.of(new JoinKey("driver_id", ScalarType.INT64));

    @TempDir
    Path dir;

    private final FeatureView view = FeatureView.builder("driver_stats").entity("driver")
            .source(new dev.ferry.features.ParquetSource(Path.of("unused.parquet")))
            .feature("trips", "int64").feature("city", "string").build();

    /** Rows for offsets [from, to), the value of each derived from its offset. */
    private static List<OfflineRow> rows(long from, long to) {
        List<OfflineRow> out = new ArrayList<>();
        for (long o = from; o < to; o++) {
            long driver = o % 7;
            out.add(new OfflineRow(Map.of("driver_id", driver), new OnlineRecord(EntityKey.of(driver),
                    Map.of("trips", o * 10, "city", "c" + o), T0.plusSeconds(o)), o));
        }
        return out;
    }

    private void batch(ParquetLog log, int partition, long from, long to) {
        log.append(view, KEYS, "stats", partition, from, rows(from, to), T0);
    }

    /** Offsets read back through the view's glob, in order, with each row's values checked against its offset. */
    private List<Long> offsets(int partition) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT _kafka_offset, trips, city, driver_id FROM read_parquet('"
                     + dir.resolve("driver_stats").resolve("*.parquet") + "', union_by_name = true) WHERE _kafka_partition = "
                     + partition + " ORDER BY _kafka_offset")) {
            while (rs.next()) {
                long o = rs.getLong(1);
                assertThat(rs.getLong(2)).isEqualTo(o * 10);
                assertThat(rs.getString(3)).isEqualTo("c" + o);
                assertThat(rs.getLong(4)).isEqualTo(o % 7);
                out.add(o);
            }
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long o = from; o < to; o++) {
            out.add(o);
        }
        return out;
    }

    private List<String> names(ParquetLog log) {
        return log.files("driver_stats").stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void aPartitionsBatchFilesBecomeOneFileWithEveryRowOnce() throws Exception {
        try (ParquetLog log = ParquetLog.open(dir)) {
            log.initialize(view, KEYS);
            batch(log, 0, 0, 10);
            batch(log, 0, 10, 25);
            assertThat(log.compact("driver_stats", "stats", 0, 3)).as("below the threshold").isZero();
            batch(log, 0, 25, 40);
            batch(log, 1, 0, 5);

            assertThat(log.compact("driver_stats", "stats", 0, 3)).isEqualTo(3);

            assertThat(names(log)).containsExactlyInAnyOrder("_schema.parquet", "stats-0-00000000000000000000-00000000000000000039.compacted.parquet",
                    "stats-1-00000000000000000000.parquet");
            assertThat(offsets(0)).isEqualTo(range(0, 40));
            assertThat(offsets(1)).as("another partition is left alone").isEqualTo(range(0, 5));
        }
    }

    @Test
    void aBatchDeliveredAgainAfterItWasCompactedAddsOnlyItsNewRows() throws Exception {
        try (ParquetLog log = ParquetLog.open(dir)) {
            batch(log, 0, 0, 10);
            batch(log, 0, 10, 20);
            log.compact("driver_stats", "stats", 0, 1);

            // the consumer crashed before committing offset 20: the batch comes again, longer
            batch(log, 0, 10, 30);
            batch(log, 0, 10, 30);

            assertThat(offsets(0)).isEqualTo(range(0, 30));
            assertThat(names(log)).contains("stats-0-00000000000000000020.parquet");

            log.compact("driver_stats", "stats", 0, 1);
            batch(log, 0, 0, 30);
            assertThat(offsets(0)).isEqualTo(range(0, 30));
            assertThat(names(log)).containsExactlyInAnyOrder("stats-0-00000000000000000000-00000000000000000019.compacted.parquet",
                    "stats-0-00000000000000000020-00000000000000000029.compacted.parquet");
        }
    }

    @Test
    void aCrashBetweenTheCompactedFileAndTheDeletesIsRepairedWhenTheLogOpens() throws Exception {
        Path saved = Files.createDirectories(dir.resolve("saved"));
        try (ParquetLog log = ParquetLog.open(dir)) {
            batch(log, 0, 0, 10);
            batch(log, 0, 10, 20);
            for (Path f : log.files("driver_stats")) {
                Files.copy(f, saved.resolve(f.getFileName()));
            }
            log.compact("driver_stats", "stats", 0, 1);
        }
        // the batch files come back, as if the process died right after the compacted file's rename
        try (var files = Files.list(saved)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("driver_stats").resolve(f.getFileName()));
            }
        }
        assertThat(offsets(0)).as("before repair the rows are there twice").hasSize(40);

        try (ParquetLog log = ParquetLog.open(dir)) {
            assertThat(offsets(0)).isEqualTo(range(0, 20));
            assertThat(names(log)).containsExactly("stats-0-00000000000000000000-00000000000000000019.compacted.parquet");
        }
    }
}
