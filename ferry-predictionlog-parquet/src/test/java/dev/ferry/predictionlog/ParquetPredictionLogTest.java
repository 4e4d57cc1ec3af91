package dev.ferry.predictionlog;

import dev.ferry.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.types.Row;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetPredictionLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final ThreadFactory THREADS = Thread.ofPlatform().daemon().factory();

    @TempDir
    Path dir;

    static PredictionRecord record(int i) {
        return new PredictionRecord("r-" + i, CLOCK.instant(), "ctr", i % 2 == 0 ? "a" : "b", "ctr", 3, i % 10 == 0,
                AnswerSource.MODEL, false, Map.of("user_id", (long) i),
                Row.of("u0", i * 0.5, "city", "Oslo-" + i, "emb", new float[] {1f, 2f}), Row.of("score", i / 10_000.0));
    }

    @Test
    void everyRecordIsReadBackByDuckDbWithItsFeaturesAcrossRolledFiles() throws Exception {
        ParquetPredictionLog log = new ParquetPredictionLog(dir, 1_000, Duration.ofHours(1), 100_000, CLOCK, THREADS);
        List<PredictionRecord> all = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            all.add(record(i));
        }
        for (int i = 0; i < all.size(); i += 100) {
            log.write(all.subList(i, i + 100));
        }
        log.close();
        assertThat(log.dropped()).isZero();
        assertThat(log.files()).hasSize(3);
        assertThat(dir.toFile().list()).noneMatch(n -> n.endsWith(".tmp"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT request_id), min(format), max(format),"
                    + " sum(CAST(json_extract(features, '$.u0') AS DOUBLE)), sum(CAST(shadow AS INTEGER))"
                    + " FROM read_parquet('" + dir + "/predictions-*.parquet')");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2_500);
            assertThat(rs.getLong(2)).isEqualTo(2_500);
            assertThat(rs.getInt(3)).isEqualTo(ParquetPredictionLog.FORMAT_VERSION);
            assertThat(rs.getInt(4)).isEqualTo(ParquetPredictionLog.FORMAT_VERSION);
            assertThat(rs.getDouble(5)).isEqualTo(0.5 * 2_499 * 2_500 / 2);
            assertThat(rs.getLong(6)).isEqualTo(250);
            rs = s.executeQuery("SELECT arm, model, version, source, json_extract_string(features, '$.city'),"
                    + " json_extract(features, '$.emb')::VARCHAR, CAST(json_extract(entity, '$.user_id') AS BIGINT),"
                    + " CAST(json_extract(output, '$.score') AS DOUBLE), \"at\""
                    + " FROM read_parquet('" + dir + "/predictions-*.parquet') WHERE request_id = 'r-1234'");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("a");
            assertThat(rs.getString(2)).isEqualTo("ctr");
            assertThat(rs.getInt(3)).isEqualTo(3);
            assertThat(rs.getString(4)).isEqualTo("model");
            assertThat(rs.getString(5)).isEqualTo("Oslo-1234");
            assertThat(rs.getString(6)).isEqualTo("[1.0,2.0]");
            assertThat(rs.getLong(7)).isEqualTo(1234);
            assertThat(rs.getDouble(8)).isEqualTo(0.1234);
            assertThat(rs.getTimestamp(9).toLocalDateTime()).isEqualTo(CLOCK.instant().atOffset(ZoneOffset.UTC).toLocalDateTime());
        }
    }

    @Test
    void aFullQueueDropsRecordsAndCountsThemInsteadOfBlocking() throws Exception {
        CountDownLatch writerMayStart = new CountDownLatch(1);
        ThreadFactory held = r -> THREADS.newThread(() -> {
            try {
                writerMayStart.await();
            } catch (InterruptedException e) {
                return;
            }
            r.run();
        });
        ParquetPredictionLog log = new ParquetPredictionLog(dir, 1_000, Duration.ofHours(1), 10, CLOCK, held);
        List<PredictionRecord> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(record(i));
        }
        log.write(batch);
        assertThat(log.dropped()).isEqualTo(15);
        writerMayStart.countDown();
        log.close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*), max(request_id) FROM read_parquet('" + dir + "/predictions-*.parquet')");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(10);
            assertThat(rs.getString(2)).isEqualTo("r-9");
        }
    }

    @Test
    void aFileIsCompletedWhenItsFirstRecordIsOlderThanTheMaximumAge() throws Exception {
        MutableClock clock = new MutableClock(CLOCK.instant());
        ParquetPredictionLog log = new ParquetPredictionLog(dir, 1_000_000, Duration.ofMinutes(5), 1_000, clock, THREADS);
        log.write(List.of(record(1)));
        log.flush();
        assertThat(log.files()).hasSize(1);
        log.write(List.of(record(2)));
        clock.advance(Duration.ofMinutes(6));
        log.write(List.of(record(3)));
        log.close();
        assertThat(log.filesWritten()).isGreaterThanOrEqualTo(2);
        assertThat(log.files()).allMatch(p -> p.getFileName().toString().matches("predictions-\\d{8}-\\d{6}-\\d+\\.parquet"));
    }
}
