package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.ErrorKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry features get} over the credit samples committed in examples/credit/data. */
class FeaturesGetCommandTest {

    private static final Path DEMO = Path.of("..", "examples", "credit", "demo");

    @TempDir
    static Path dir;

    private static String dataDir;

    // the tests only read, so one registry and online store serve them all
    @BeforeAll
    static void applyAndMaterialize() {
        dataDir = dir.resolve("ferry").toString();
        assertThat(CliRun.of("features", "apply", "--data-dir", dataDir, DEMO.toString()).code()).isZero();
        CliRun m = CliRun.of("features", "materialize", "--data-dir", dataDir);
        assertThat(m.code()).as(m.err()).isZero();
    }

    @Test
    void printsValueStatusAndEventTimePerFeature() {
        CliRun r = CliRun.of("features", "get", "--data-dir", dataDir, "--entity", "dob_ssn=19530219_5179",
                "--entity", "dob_ssn=00000000_0000", "--features", "credit_history:credit_card_due,credit_history:mortgage_due",
                "--as-of", "2021-01-01T00:00:00Z");

        assertThat(r.code()).as(r.err()).isZero();
        List<OnlineGet> rows = OnlineGet.parse(r.out());
        assertThat(rows).hasSize(4);
        // the first line of credit_history_sample.csv
        assertThat(OnlineGet.find(rows, "19530219_5179", "credit_card_due"))
                .isEqualTo(new OnlineGet("dob_ssn=19530219_5179", "credit_card_due", "8419", "PRESENT", "2020-04-26T18:01:04.746575Z"));
        assertThat(OnlineGet.find(rows, "19530219_5179", "mortgage_due").value()).isEqualTo("91803");
        assertThat(OnlineGet.find(rows, "00000000_0000", "mortgage_due").status()).isEqualTo("NOT_FOUND");
    }

    @Test
    void valuesOlderThanTheViewsMaxAgeAreWithheld() {
        CliRun r = CliRun.of("features", "get", "--data-dir", dataDir, "--entity", "dob_ssn=19530219_5179",
                "--features", "credit_history:credit_card_due", "--as-of", "2031-01-01T00:00:00Z");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(OnlineGet.find(OnlineGet.parse(r.out()), "19530219_5179", "credit_card_due"))
                .isEqualTo(new OnlineGet("dob_ssn=19530219_5179", "credit_card_due", "-", "OUTSIDE_MAX_AGE", "2020-04-26T18:01:04.746575Z"));
    }

    @Test
    void badInputExitsWithTheInvalidInputCodeNamingTheProblem() {
        CliRun wrongType = CliRun.of("features", "get", "--data-dir", dataDir, "--entity", "zipcode=north",
                "--service", "credit_model");
        assertThat(wrongType.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
        assertThat(wrongType.err()).contains("zipcode", "north", "int64");

        CliRun missingKey = CliRun.of("features", "get", "--data-dir", dataDir, "--entity", "zipcode=30721",
                "--service", "credit_model");
        assertThat(missingKey.code()).isEqualTo(ErrorKind.INVALID_INPUT.exitCode());
        assertThat(missingKey.err()).contains("entities.dob_ssn is missing");
    }
}
