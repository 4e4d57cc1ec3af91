package dev.ferry.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ValidationFailedException;
import dev.ferry.features.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checks file with mistakes is refused with every problem at once, each at its file and line. */
class ChecksYamlTest {

    @TempDir
    Path dir;

    CreditRepo repo;

    @BeforeEach
    void setUp() throws Exception {
        repo = new CreditRepo(dir, CreditRepo.EXAMPLE_DATA.resolve("credit_history_sample.csv"));
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    @Test
    void everyMistakeOfTheFileIsReportedAtItsLine() throws Exception {
        Path f = write("""
                checks:
                  - view: credit_history
                    row_count: {min_ratio: 2}
                    freshness: {max_age: soon}
                    colums: {}
                  - view: credit_history
                    name: history_again
                    schema: {severity: loud}
                    unique: [[dob_ssn], dob_ssn]
                    columns:
                      hard_pulls: {}
                      bankruptcies: {max_null_rate: x}
                  - view: a
                    file: b.csv
                  - file: notes.txt
                """);

        List<Problem> problems = QualityChecks.load(f).validate(repo.registry, repo.store);

        assertThat(problems).extracting(Problem::line, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5, "checks entry has an unknown key 'colums'; expected one of [columns, file, freshness, name, row_count, schema, unique, view]"),
                org.assertj.core.groups.Tuple.tuple(3, "checks 'credit_history': row_count min_ratio was 2.0 but it must be between 0 and 1"),
                org.assertj.core.groups.Tuple.tuple(4, "checks 'credit_history' freshness max_age was 'soon' but it must be a duration such as 30d, 36h, 15m, 90s or PT1H"),
                org.assertj.core.groups.Tuple.tuple(8, "checks 'history_again' schema severity was 'loud' but it must be fail or warn"),
                org.assertj.core.groups.Tuple.tuple(9, "checks 'history_again' unique key was 'dob_ssn' but keys must all be lists when one is"),
                org.assertj.core.groups.Tuple.tuple(11, "checks 'history_again' column 'hard_pulls': column rule has no check; expected max_null_rate, min, max or allowed"),
                org.assertj.core.groups.Tuple.tuple(12, "checks 'history_again' column 'bankruptcies' max_null_rate was 'x' but it must be a number"),
                org.assertj.core.groups.Tuple.tuple(13, "checks entry must have exactly one of view: NAME or file: PATH"),
                org.assertj.core.groups.Tuple.tuple(15, "file target was '" + dir.resolve("notes.txt") + "' but it must end in .parquet or .csv"));
        assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(f.toString()));
    }

    @Test
    void namesAndColumnsAreCheckedAgainstTheRegistryAndTheSource() throws Exception {
        Path f = write("""
                checks:
                  - view: credit_histroy
                  - view: credit_history
                    unique: [dob_ssn, ssn]
                    freshness: {max_age: 2d, column: hard_pulls}
                    columns:
                      dob_ssn: {min: 0}
                      missed_payments: {max_null_rate: 0}
                  - file: missing.parquet
                """);

        assertThatThrownBy(() -> QualityChecks.load(f).requireValid(repo.registry, repo.store))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageStartingWith("quality checks have 6 problems:")
                .hasMessageContaining(f + ":2: checks 'credit_histroy': feature view 'credit_histroy' is not in the feature registry (views: [credit_history])")
                .hasMessageContaining(f + ":4: checks 'credit_history' unique key column 'ssn' is not a column (csv:")
                .hasMessageContaining(f + ":7: checks 'credit_history' column 'dob_ssn' has min/max but its type is string; a range needs a numeric column")
                .hasMessageContaining(f + ":8: checks 'credit_history' column 'missed_payments' is not a column")
                .hasMessageContaining(f + ":5: checks 'credit_history' freshness column 'hard_pulls' has type int64; it must be")
                .hasMessageContaining(f + ":9: checks 'missing': file " + dir.resolve("missing.parquet") + " does not exist");
    }

    @Test
    void theGateRefusesToRunChecksThatLoadedWithProblems() throws Exception {
        Path f = write("""
                checks:
                  - view: credit_history
                    columns:
                      hard_pulls: {max: ten}
                """);

        assertThatThrownBy(() -> repo.run(QualityChecks.load(f)))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining(f + ":4: checks 'credit_history' column 'hard_pulls' max was 'ten' but it must be a number");
        assertThat(repo.history.runs("credit_history")).isEmpty();
    }

    @Test
    void brokenYamlIsReportedAtTheLineTheParserStopped() throws Exception {
        Path f = write("""
                checks:
                  - view: credit_history
                    columns: {hard_pulls: {min: 0}
                  - view: x
                """);

        assertThat(QualityChecks.load(f).validate(repo.registry, repo.store)).singleElement()
                .satisfies(p -> assertThat(p.toString()).startsWith(f + ":4: is not valid YAML"));
    }

    @Test
    void theSameNameTwiceIsRefusedWithTheFirstPlace() throws Exception {
        Path f = write("""
                checks:
                  - view: credit_history
                  - view: credit_history
                """);

        assertThat(QualityChecks.load(f).validate(repo.registry, repo.store)).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo(f + ":3: checks 'credit_history' are defined more than once (first at "
                        + f + ":2); give one of them another name"));
    }

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("quality.yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
