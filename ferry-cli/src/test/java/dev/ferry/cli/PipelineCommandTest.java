package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry pipeline run} and {@code ferry runs ...} on a copy of the credit example. */
class PipelineCommandTest {

    static final Path EXAMPLE = Path.of("..", "examples", "credit").toAbsolutePath().normalize();
    private static final Pattern RUN_ID = Pattern.compile("run (\\S+) (succeeded|failed)");

    @TempDir
    Path dir;

    private Path copyExample() throws Exception {
        Path to = dir.resolve("credit");
        try (Stream<Path> walk = Files.walk(EXAMPLE)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(EXAMPLE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to.resolve("pipeline.yaml");
    }

    private CliRun ferry(String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--data-dir", dir.resolve("data").toString())).toArray(String[]::new);
        return CliRun.of(all);
    }

    private static String runId(CliRun run) {
        Matcher m = RUN_ID.matcher(run.out());
        assertThat(m.find()).as(run.out() + run.err()).isTrue();
        return m.group(1);
    }

    @Test
    void aPipelineRunsIsCachedIsInspectedAndReproducesUntilItsDataChanges() throws Exception {
        Path pipeline = copyExample();
        CliRun first = ferry("pipeline", "run", pipeline.toString(), "--param", "rounds=10", "-m", "first");
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("[1/11] quality", "[2/11] training-set", "train[max_depth=3]", "SUCCEEDED", "auc=");
        String id1 = runId(first);

        CliRun second = ferry("pipeline", "run", pipeline.toString(), "--param", "rounds=10");
        assertThat(second.code()).isZero();
        assertThat(second.out()).contains("11 steps, 11 from cache");
        String id2 = runId(second);

        assertThat(ferry("runs", "list").out()).contains(id1, id2, "credit-risk", "first");
        CliRun show = ferry("runs", "show", id1);
        assertThat(show.out()).contains("seed 42", "data/loan_table_with_history.csv", "model.json", "auc = ", "xgboost4j=");
        assertThat(ferry("runs", "diff", id1, id2).out()).contains("do not differ");

        CliRun lineage = ferry("runs", "lineage", "--model", "credit-risk", "--version", "1");
        assertThat(lineage.out()).contains("registered by run " + id1, "data/loan_table_with_history.csv", "view.credit_history@1");
        assertThat(ferry("runs", "lineage", "--data", "data/loan_table_with_history.csv").out()).contains("credit-risk@1", "credit-risk@2");

        CliRun same = ferry("runs", "reproduce", id1);
        assertThat(same.code()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("every output and metric matches");

        Path loans = pipeline.resolveSibling("data/loan_table_with_history.csv");
        List<String> lines = Files.readAllLines(loans);
        int row = 1; // the first application that did not default gets the other label
        while (!lines.get(row).contains(",0,2021")) {
            row++;
        }
        lines.set(row, lines.get(row).replaceFirst(",0,2021", ",1,2021"));
        Files.write(loans, lines);
        CliRun tampered = ferry("runs", "reproduce", id1);
        assertThat(tampered.code()).isEqualTo(5);
        assertThat(tampered.out()).contains("does NOT reproduce", "training.parquet", "training-set/data/loan_table_with_history.csv");
    }

    @Test
    void badInputIsRefusedNamingWhatWasWrong() throws Exception {
        Path pipeline = copyExample();
        CliRun badParam = ferry("pipeline", "run", pipeline.toString(), "--param", "depth=3");
        assertThat(badParam.code()).isEqualTo(2);
        assertThat(badParam.err()).contains("--param depth names no parameter of pipeline credit-risk");

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "pipeline: x\nseed: 1\nsteps:\n  - {id: a, type: nope}\n");
        CliRun badType = ferry("pipeline", "run", broken.toString());
        assertThat(badType.code()).isEqualTo(2);
        assertThat(badType.err()).contains(broken.toAbsolutePath() + ": step 'a' field 'type': unknown step type 'nope'");

        assertThat(ferry("runs", "show", "20990101-000000-00000000").err()).contains("run '20990101-000000-00000000' was not found");
    }
}
