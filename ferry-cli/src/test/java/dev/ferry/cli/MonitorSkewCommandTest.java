package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.features.CsvSource;
import dev.ferry.features.Entity;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.serving.RollingFilePredictionLog;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry monitor skew} over a JSON Lines prediction log written by the serving sink and a CSV-backed offline store. */
class MonitorSkewCommandTest {

    static final Instant DAY0 = Instant.parse("2024-05-01T00:00:00Z");

    @TempDir
    Path dir;
    Path data;
    final double[][] score = new double[5][10];

    @BeforeEach
    void storeAndLog() throws Exception {
        data = dir.resolve("data");
        Random r = new Random(3);
        List<String> source = new ArrayList<>(List.of("user_id,event_timestamp,score,visits"));
        for (int day = 0; day < 10; day++) {
            for (int user = 0; user < 5; user++) {
                score[user][day] = Math.round(r.nextDouble() * 1e4) / 1e2;
                source.add(user + "," + LocalDateTime.ofInstant(DAY0.plus(Duration.ofDays(day)), ZoneOffset.UTC) + ","
                        + score[user][day] + "," + r.nextInt(20));
            }
        }
        Files.write(dir.resolve("scores.csv"), source);
        Wiring.features(data).apply(FeatureRepository.builder()
                .entity(Entity.of("user", new JoinKey("user_id", ScalarType.INT64)))
                .view(FeatureView.builder("user_scores").entity("user").source(CsvSource.of(dir.resolve("scores.csv")))
                        .feature("score", "float64").feature("visits", "int64").build())
                .build());
        RollingFilePredictionLog log = new RollingFilePredictionLog(dir.resolve("log"), 1 << 20, Duration.ofHours(1), Clock.systemUTC());
        List<PredictionRecord> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int user = i % 5;
            int day = (i / 5) % 10;
            double served = score[user][day] + (i % 20 == 0 ? 5.0 : 0.0);
            records.add(new PredictionRecord("r" + i, DAY0.plus(Duration.ofDays(day)).plusSeconds(60 + i), "d", "main", "m", 1, false,
                    AnswerSource.MODEL, false, Map.of("user_id", user), Row.of("score", served, "visits", 3.5), Row.of("p", 0.1)));
        }
        log.write(records);
        log.close();
    }

    @Test
    void reportsRetypedFeaturesAndServedValuesThatDifferFromTheOfflineStore() {
        CliRun run = CliRun.of("monitor", "skew", "--log", dir.resolve("log").toString(), "--training", dir.resolve("scores.csv").toString(),
                "--exclude", "user_id", "--values", "user_scores:score", "--data-dir", data.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("100 served prediction(s)")
                .contains("type mismatch: feature 'visits' is served as float64 but was trained as int64")
                .containsPattern("score\\s+100\\s+5\\s+5\\.00%\\s+0\\s+0")
                .contains("skew: YES");
    }
}
