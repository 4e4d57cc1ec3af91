package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.ErrorKind;
import dev.ferry.monitoring.outcome.JoinedOutcome;
import dev.ferry.monitoring.outcome.LoggedPrediction;
import dev.ferry.monitoring.outcome.OutcomeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorReportCommandTest {

    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final LocalDateTime START = LocalDateTime.of(2024, 3, 1, 0, 0);

    @TempDir
    Path dir;
    Path reference;
    Path analysis;

    @BeforeEach
    void data() throws Exception {
        Random r = new Random(3);
        StringBuilder ref = new StringBuilder("timestamp,id,a,color,score\n");
        for (int i = 0; i < 300; i++) {
            double a = r.nextGaussian();
            ref.append(TS.format(START.minusDays(20).plusHours(i))).append(',').append(i).append(',').append(String.format(Locale.ROOT, "%.5f", a))
                    .append(',').append(r.nextBoolean() ? "red" : "blue").append(',').append(String.format(Locale.ROOT, "%.4f", 1 / (1 + Math.exp(-a))))
                    .append('\n');
        }
        reference = Files.writeString(dir.resolve("reference.csv"), ref);
        StringBuilder cur = new StringBuilder("timestamp,id,a,color,score,label\n");
        for (int i = 0; i < 72; i++) {
            double a = r.nextGaussian() + (i >= 48 ? 2 : 0);
            cur.append(TS.format(START.plusHours(i))).append(',').append(1000 + i).append(',').append(String.format(Locale.ROOT, "%.5f", a))
                    .append(',').append(r.nextBoolean() ? "red" : "blue").append(',').append(String.format(Locale.ROOT, "%.4f", 1 / (1 + Math.exp(-a))))
                    .append(',').append(r.nextInt(2)).append('\n');
        }
        analysis = Files.writeString(dir.resolve("analysis.csv"), cur);
    }

    CliRun ferry(String... args) {
        List<String> all = new ArrayList<>(List.of("monitor", "report", "--data-dir", dir.resolve("data").toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void writesTheReportAndSaysWhichFeaturesDriftedFromWhen() throws Exception {
        Path out = dir.resolve("out").resolve("report.html");
        CliRun run = ferry("--reference", reference.toString(), "--analysis", analysis.toString(), "--window", "1d", "--exclude", "id",
                "--prediction", "score", "--target", "label", "-o", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("report written to " + out + " (3 windows)", "1 of 2 features drifted")
                .containsPattern("a\\s+drifted in 1 of 3 windows, first in 2024-03-03").contains("accuracy: 72 outcomes over 3 windows");
        String html = Files.readString(out);
        assertThat(html).contains("id=\"summary\"", "id=\"feature-a\"", "id=\"feature-color\"", "id=\"prediction-drift\"", "id=\"accuracy\"")
                .doesNotContain("id=\"feature-label\"");
    }

    @Test
    void readsAStoredProfileAndStoredOutcomes() throws Exception {
        Path profile = dir.resolve("reference.json");
        assertThat(CliRun.of("monitor", "profile", reference.toString(), "--exclude", "id,timestamp", "--output", profile.toString()).code()).isZero();
        OutcomeStore store = OutcomeStore.inDataDir(dir.resolve("data"), Clock.systemUTC());
        store.append(List.of(
                new JoinedOutcome(prediction("r1", START.plusHours(1), 0.9), START.plusHours(2).toInstant(ZoneOffset.UTC), 1),
                new JoinedOutcome(prediction("r2", START.plusHours(3), 0.2), START.plusHours(4).toInstant(ZoneOffset.UTC), 0)));
        Path out = dir.resolve("stored.html");
        CliRun run = ferry("--reference", profile.toString(), "--analysis", analysis.toString(), "--chunks", "3", "--exclude", "id,label",
                "--outcomes", "--score", "y", "-o", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("(3 windows)", "accuracy: 2 outcomes over 1 windows");
        assertThat(Files.readString(out)).contains("reference.json (profile of 300 rows)", "from profiles", "chunk 1");
    }

    private static LoggedPrediction prediction(String id, LocalDateTime at, double p) {
        return new LoggedPrediction(id, at.toInstant(ZoneOffset.UTC), "d", "champion", "m", 1, false, Map.of("id", id), Map.of(),
                Map.of("y", List.of(1 - p, p)));
    }

    @Test
    void conflictingOrMissingOptionsAreRefused() {
        CliRun both = ferry("--reference", reference.toString(), "--analysis", analysis.toString(), "--window", "1d", "--chunks", "2",
                "-o", dir.resolve("x.html").toString());
        assertThat(both.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
        assertThat(both.err()).contains("--window 1d and --chunks 2");
        CliRun noScore = ferry("--reference", reference.toString(), "--analysis", analysis.toString(), "--target", "label",
                "-o", dir.resolve("x.html").toString());
        assertThat(noScore.err()).contains("--score FIELD or --prediction COLUMN");
        CliRun badTime = ferry("--reference", reference.toString(), "--analysis", analysis.toString(), "--timestamp", "when",
                "-o", dir.resolve("x.html").toString());
        assertThat(badTime.err()).contains("timestamp column was 'when'");
        assertThat(Files.exists(dir.resolve("x.html"))).isFalse();
    }
}
