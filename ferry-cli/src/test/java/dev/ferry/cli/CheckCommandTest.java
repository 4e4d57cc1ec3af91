package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry check} over a copy of the credit demo (definitions, checks and committed samples),
 * damaged between runs.
 */
class CheckCommandTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "credit");

    @TempDir
    Path dir;

    String dataDir;
    Path checks;

    @BeforeEach
    void copyTheDemo() throws Exception {
        Files.createDirectories(dir.resolve("demo/checks"));
        Files.createDirectories(dir.resolve("data"));
        Files.copy(EXAMPLE.resolve("demo/features.yaml"), dir.resolve("demo/features.yaml"));
        Files.copy(EXAMPLE.resolve("demo/checks/quality.yaml"), dir.resolve("demo/checks/quality.yaml"));
        for (String f : List.of("credit_history_sample.csv", "zipcode_table_for_loans.csv", "loan_table_with_history.csv")) {
            Files.copy(EXAMPLE.resolve("data").resolve(f), dir.resolve("data").resolve(f));
        }
        dataDir = dir.resolve("ferry").toString();
        checks = dir.resolve("demo/checks/quality.yaml");
        CliRun apply = CliRun.of("features", "apply", "--data-dir", dataDir, dir.resolve("demo").toString());
        assertThat(apply.code()).as(apply.err()).isZero();
    }

    @Test
    void theDemoChecksPassWithTheStaleSnapshotAsAWarning() {
        CliRun r = CliRun.of("check", "--data-dir", dataDir, checks.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("credit_history/row_count", "loan_table/unique:loan_id", "zipcode_features/allowed:location_type")
                .containsPattern("credit_history/freshness +warn +newest 2020-04-26T18:01:04.746575Z")
                .containsPattern("zipcode_features/unique:zipcode,event_timestamp +pass")
                .containsPattern("credit_history/row_count +pass +1000 rows")
                .contains("passed: 24 checks, 0 failed, 1 warned");
    }

    @Test
    void aHalvedSourceFailsWithTheValidationCodeUntilTheFailureIsAllowedWithAReason() throws Exception {
        assertThat(CliRun.of("check", "--data-dir", dataDir, checks.toString()).code()).isZero();
        assertThat(CliRun.of("check", "--data-dir", dataDir, checks.toString()).code()).isZero();
        Path csv = dir.resolve("data/credit_history_sample.csv");
        List<String> lines = Files.readAllLines(csv);
        Files.write(csv, lines.subList(0, 401));

        CliRun failed = CliRun.of("check", "--data-dir", dataDir, checks.toString());

        assertThat(failed.code()).isEqualTo(ErrorKind.VALIDATION_FAILED.exitCode());
        assertThat(failed.out()).containsPattern("credit_history/row_count +fail +400 rows \\(0.4 of the median\\) +at least 0.5 x median 1000");
        assertThat(failed.err()).contains("ferry: 1 quality check failed: [credit_history/row_count]");

        CliRun allowed = CliRun.of("check", "--data-dir", dataDir, checks.toString(),
                "--allow-failure", "credit_history/row_count", "--reason", "the bureau sends the rest tomorrow");

        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(allowed.out()).containsPattern("credit_history/row_count +fail \\(allowed\\)")
                .contains("allowed: credit_history/row_count (the bureau sends the rest tomorrow)")
                .contains("passed only because of an override");
        assertThat(Files.readString(Path.of(dataDir, "quality/history/credit_history/run-000004.json")))
                .contains("\"reason\" : \"the bureau sends the rest tomorrow\"");

        CliRun trend = CliRun.of("check", "--data-dir", dataDir, "--history", "row_count", "--target", "credit_history");

        assertThat(trend.code()).as(trend.err()).isZero();
        assertThat(trend.out().lines().skip(1).map(l -> l.split(" +")[1] + " " + l.split(" +")[2]).toList())
                .containsExactly("1000 passed", "1000 passed", "400 failed", "400 passed");
    }

    @Test
    void anOverrideWithoutAReasonOrForAnUnknownCheckIsRefused() {
        CliRun noReason = CliRun.of("check", "--data-dir", dataDir, checks.toString(), "--allow-failure", "credit_history/row_count");
        assertThat(noReason.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
        assertThat(noReason.err()).contains("--allow-failure [credit_history/row_count] was given without --reason");

        CliRun unknown = CliRun.of("check", "--data-dir", dataDir, checks.toString(), "--allow-failure", "rowcount", "--reason", "x");
        assertThat(unknown.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
        assertThat(unknown.err()).contains("allowed failure 'rowcount' names no check of this run");
    }

    @Test
    void aChecksFileWithMistakesIsRefusedWithEveryProblemAndItsLine() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                checks:
                  - view: credit_history
                    columns:
                      credit_card_due: {max_null_rate: 1.5}
                      no_such_column: {min: 0}
                  - view: loans
                """);

        CliRun r = CliRun.of("check", "--data-dir", dataDir, bad.toString());

        assertThat(r.code()).isEqualTo(ErrorKind.VALIDATION_FAILED.exitCode());
        assertThat(r.err()).contains("quality checks have 3 problems:",
                bad + ":4: checks 'credit_history' column 'credit_card_due': max_null_rate was 1.5 but it must be between 0 and 1",
                bad + ":5: checks 'credit_history' column 'no_such_column' is not a column",
                bad + ":6: checks 'loans': feature view 'loans' is not in the feature registry");
    }

    @Test
    void aFileSuchAsATrainingSetIsCheckedForRowCountAndSchemaAgainstItsOwnHistory() throws Exception {
        Path loans = dir.resolve("data/loan_table_with_history.csv");
        assertThat(CliRun.of("check", "--data-dir", dataDir, "--file", loans.toString()).code()).isZero();
        List<String> lines = Files.readAllLines(loans);
        Files.write(loans, lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());

        CliRun r = CliRun.of("check", "--data-dir", dataDir, "--file", loans.toString(), "--name", "loans");
        CliRun again = CliRun.of("check", "--data-dir", dataDir, "--file", loans.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(again.code()).isEqualTo(ErrorKind.VALIDATION_FAILED.exitCode());
        assertThat(again.out()).containsPattern("loan_table_with_history/schema +fail +missing columns \\[created_timestamp\\]");
    }
}
