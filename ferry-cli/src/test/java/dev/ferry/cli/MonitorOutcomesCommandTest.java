package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.ErrorKind;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.serving.RollingFilePredictionLog;
import dev.ferry.types.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorOutcomesCommandTest {

    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    @TempDir
    Path dir;

    /** Two days of hourly predictions; on the second day the model is wrong for every odd user. */
    void writeLogAndOutcomes() throws Exception {
        List<PredictionRecord> records = new ArrayList<>();
        StringBuilder csv = new StringBuilder("request_id,defaulted\n");
        for (int i = 0; i < 48; i++) {
            boolean positive = i % 3 == 0;
            boolean broken = i >= 24 && i % 2 == 1;
            double p = positive != broken ? 0.9 : 0.1;
            String arm = i % 4 == 0 ? "holdout" : "champion";
            records.add(new PredictionRecord("r" + i, T0.plusSeconds(3600L * i), "credit", arm, "credit-model", arm.equals("holdout") ? 1 : 2,
                    false, AnswerSource.MODEL, false, Map.of("user_id", i), Row.of("country", i % 2 == 0 ? "NO" : "SE"),
                    Row.of("probability", List.of(1 - p, p))));
            csv.append("r").append(i).append(',').append(positive ? 1 : 0).append('\n');
        }
        csv.append("r99,yes\n");
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        try (RollingFilePredictionLog log = new RollingFilePredictionLog(dir.resolve("data/predictions"), 1 << 20, Duration.ofDays(1), clock)) {
            log.write(records);
        }
        Files.writeString(dir.resolve("outcomes.csv"), csv);
    }

    @Test
    void outcomesAreIngestedFromAFileAndAccuracyIsReportedPerDayArmAndSegment() throws Exception {
        writeLogAndOutcomes();
        String data = dir.resolve("data").toString();
        CliRun ingest = CliRun.of("monitor", "outcomes", "ingest", "--data-dir", data, "--file", dir.resolve("outcomes.csv").toString(),
                "--request-id", "request_id", "--label", "defaulted");
        assertThat(ingest.code()).as(ingest.err()).isZero();
        assertThat(ingest.out()).contains("read 49 outcome records", "48 joined to 48 logged predictions", "1 rejected")
                .contains("rejected outcomes.csv row 49: field 'defaulted' was 'yes' but a binary label (0, 1, true or false) is expected");

        CliRun daily = CliRun.of("monitor", "accuracy", "--data-dir", data, "--score", "probability", "--segment", "country");
        assertThat(daily.code()).as(daily.err()).isZero();
        // day one: every answer right; day two: Sweden (odd users) all wrong
        assertThat(daily.out()).containsPattern("2024-05-01T00:00:00Z\\s+credit\\s+2\\s+champion\\s+SE\\s+12\\s+1\\.0000\\s+1\\.0000");
        assertThat(daily.out()).containsPattern("2024-05-02T00:00:00Z\\s+credit\\s+2\\s+champion\\s+SE\\s+12\\s+0\\.0000\\s+0\\.0000");
        assertThat(daily.out()).containsPattern("2024-05-02T00:00:00Z\\s+credit\\s+2\\s+champion\\s+NO\\s+\\d+\\s+\\S+\\s+1\\.0000");

        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: accuracy-low
                    score: accuracy{deployment=credit,arm=champion}
                    when: "<"
                    threshold: 0.9
                    for: 12h
                """);
        CliRun alerts = CliRun.of("monitor", "accuracy", "--data-dir", data, "--score", "probability", "--window", "6h",
                "--deployment", "credit", "--compare", "holdout,champion", "--rules", dir.resolve("rules.yaml").toString());
        assertThat(alerts.code()).as(alerts.err()).isZero();
        assertThat(alerts.out()).contains("holdout vs champion on credit").containsPattern("accuracy\\s+\\S+ \\(n=12\\) vs \\S+ \\(n=36\\)");
        // champion windows from 2024-05-02T00:00 are bad: firing once the 12h have passed, at the end of the third bad window
        assertThat(alerts.out()).contains("2024-05-02T18:00:00Z alert accuracy-low firing: accuracy{arm=champion,deployment=credit,version=2}");
        assertThat(alerts.out().lines().filter(l -> l.contains("alert accuracy-low firing")).count()).isEqualTo(1);
    }

    @Test
    void aMissingSourceOrABadOptionIsRefusedNamingIt() {
        CliRun noKind = CliRun.of("monitor", "outcomes", "ingest", "--data-dir", dir.toString(), "--file", "x.csv", "--request-id", "id",
                "--label", "y", "--label-kind", "ordinal");
        assertThat(noKind.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
        assertThat(noKind.err()).contains("--label-kind was 'ordinal' but binary or numeric is expected");
        CliRun noJoin = CliRun.of("monitor", "outcomes", "ingest", "--data-dir", dir.toString(), "--file", "x.csv", "--label", "y");
        assertThat(noJoin.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
        assertThat(noJoin.err()).contains("neither a request id field nor entity fields were given");
    }
}
