package dev.ferry.monitoring.skew;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.features.CsvSource;
import dev.ferry.features.Entity;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.OfflineStore;
import dev.ferry.monitoring.outcome.LoggedPrediction;
import dev.ferry.monitoring.outcome.PredictionLogReader;
import dev.ferry.predictionlog.ParquetPredictionLog;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.serving.RollingFilePredictionLog;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Predictions logged by the real JSON Lines and Parquet sinks, joined with a real CSV-backed
 * offline store. Each user has one score row per day at midnight, so the value as of any time
 * that day is known; some served values are then spoiled on purpose and exactly those must be
 * counted.
 */
class ServedValueSkewTest {

    static final Instant DAY0 = Instant.parse("2024-05-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    FeatureRegistry registry;
    final double[][] score = new double[10][20];
    final String[][] band = new String[10][20];

    @BeforeEach
    void offlineStore() throws IOException {
        Random r = new Random(5);
        List<String> lines = new ArrayList<>(List.of("user_id,event_timestamp,score,band"));
        for (int day = 0; day < 20; day++) {
            for (int user = 0; user < 10; user++) {
                score[user][day] = Math.round(r.nextDouble() * 1e6) / 1e3;
                band[user][day] = "b" + r.nextInt(4);
                lines.add(user + "," + LocalDateTime.ofInstant(DAY0.plus(Duration.ofDays(day)), ZoneOffset.UTC) + ","
                        + score[user][day] + "," + band[user][day]);
            }
        }
        Files.write(dir.resolve("scores.csv"), lines);
        registry = FeatureRegistry.open(dir.resolve("registry"), OfflineStore.inspector(), CLOCK);
        registry.apply(FeatureRepository.builder()
                .entity(Entity.of("user", new JoinKey("user_id", ScalarType.INT64)))
                .view(FeatureView.builder("user_scores").entity("user").source(CsvSource.of(dir.resolve("scores.csv")))
                        .feature("score", "float64").feature("band", "string").build())
                .build());
    }

    /** 400 predictions: every 10th score off by 1.0, every 7th off by 1e-9 (within tolerance), every 13th without band. */
    List<PredictionRecord> predictions() {
        Random r = new Random(6);
        List<PredictionRecord> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int user = r.nextInt(10);
            int day = r.nextInt(20);
            Instant at = DAY0.plus(Duration.ofDays(day)).plusSeconds(1 + r.nextInt(86_000));
            double s = score[user][day] + (i % 10 == 0 ? 1.0 : i % 7 == 0 ? 1e-9 : 0.0);
            Map<String, Object> features = new HashMap<>();
            features.put("score", s);
            features.put("band", i % 13 == 0 ? null : band[user][day]);
            out.add(new PredictionRecord("req-" + i, at, "credit", "main", "m", 1, false, AnswerSource.MODEL, false,
                    Map.of("user_id", user), new Row(features), Row.of("p", 0.5)));
        }
        out.add(new PredictionRecord("req-shadow", DAY0.plusSeconds(5), "credit", "shadow", "m", 2, true, AnswerSource.MODEL, false,
                Map.of("user_id", 1), Row.of("score", -1.0, "band", "nope"), Row.of("p", 0.5)));
        return out;
    }

    static long expected(int every, int n) {
        return (n + every - 1) / every;
    }

    void assertCounts(List<ValueSkew> skew) {
        ValueSkew s = skew.get(0);
        assertThat(s.feature()).isEqualTo("score");
        assertThat(s.compared()).isEqualTo(400);
        assertThat(s.mismatches()).isEqualTo(expected(10, 400));
        assertThat(s.examples()).hasSize(5).allMatch(e -> e.contains("served") && e.contains("offline"));
        ValueSkew b = skew.get(1);
        assertThat(b.feature()).isEqualTo("band");
        assertThat(b.missingServed()).isEqualTo(expected(13, 400));
        assertThat(b.compared()).isEqualTo(400 - expected(13, 400));
        assertThat(b.mismatches()).isZero();
    }

    @Test
    void countsMismatchesInAJsonLinesLogWrittenByTheServingSink() {
        RollingFilePredictionLog log = new RollingFilePredictionLog(dir.resolve("log"), 10_000, Duration.ofHours(1), CLOCK);
        log.write(predictions());
        log.close();
        List<LoggedPrediction> logged = PredictionLogReader.served(dir.resolve("log"));
        assertThat(logged).hasSize(400);
        try (OfflineStore store = OfflineStore.open(registry, CLOCK)) {
            assertCounts(new ServedValueSkew(List.of("user_scores:score", "user_scores:band"), 1e-6, 0).check(store, logged, dir.resolve("work")));
        }
        assertThat(dir.resolve("work")).isEmptyDirectory();
    }

    @Test
    void countsMismatchesInAParquetLogWrittenByTheParquetSink() {
        ParquetPredictionLog log = new ParquetPredictionLog(dir.resolve("parquet"), 1000, Duration.ofHours(1), 10_000, CLOCK,
                Executors.defaultThreadFactory());
        log.write(predictions());
        log.flush();
        log.close();
        List<LoggedPrediction> logged = PredictionLogReader.served(dir.resolve("parquet"));
        assertThat(logged).hasSize(400);
        try (OfflineStore store = OfflineStore.open(registry, CLOCK)) {
            assertCounts(new ServedValueSkew(List.of("user_scores:score", "user_scores:band"), 1e-6, 0).check(store, logged, dir.resolve("work")));
        }
    }

    @Test
    void aToleranceOfZeroCountsTheTinyDifferencesToo() {
        RollingFilePredictionLog log = new RollingFilePredictionLog(dir.resolve("log"), 10_000_000, Duration.ofHours(1), CLOCK);
        log.write(predictions());
        log.close();
        try (OfflineStore store = OfflineStore.open(registry, CLOCK)) {
            ValueSkew s = new ServedValueSkew(List.of("user_scores:score"), 0, 0).check(store, PredictionLogReader.served(dir.resolve("log")), dir.resolve("w")).get(0);
            long tiny = 0;
            for (int i = 0; i < 400; i++) {
                tiny += i % 10 != 0 && i % 7 == 0 ? 1 : 0;
            }
            assertThat(s.mismatches()).isEqualTo(expected(10, 400) + tiny);
        }
    }

    @Test
    void badInputIsRefusedNamingIt() throws IOException {
        assertThatThrownBy(() -> new ServedValueSkew(List.of("user_scores"), 0, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'user_scores'").hasMessageContaining("view:feature");
        assertThatThrownBy(() -> new ServedValueSkew(List.of("user_scores:score"), -1, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("-1.0");
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"format\": 9}\n");
        assertThatThrownBy(() -> PredictionLogReader.read(bad)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bad.jsonl line 1").hasMessageContaining("format was 9");
    }
}
