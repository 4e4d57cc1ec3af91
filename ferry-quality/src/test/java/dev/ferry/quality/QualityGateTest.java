package dev.ferry.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every check type on the committed Feast credit history sample, passing on the data as it is and
 * failing, for the reason it names, on a damaged copy. Counts are compared with Jackson CSV's
 * reading of the same file.
 */
class QualityGateTest {

    static final String CHECKS = """
            checks:
              - view: credit_history
                row_count: {min_ratio: 0.8, runs: 3}
                freshness: {max_age: 30d}
                unique: [dob_ssn]
                columns:
                  credit_card_due: {max_null_rate: 0.0, min: 0}
                  bankruptcies: {allowed: [0, 1, 2]}
                  hard_pulls: {min: 0, max: 10}
            """;

    @TempDir
    Path dir;

    CreditRepo repo;
    QualityChecks checks;

    @BeforeEach
    void setUp() throws Exception {
        repo = new CreditRepo(dir, CreditRepo.EXAMPLE_DATA.resolve("credit_history_sample.csv"));
        checks = repo.checks(CHECKS);
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    @Test
    void everyCheckPassesOnTheSampleAsItIs() throws Exception {
        QualityReport r = repo.run(checks);

        assertThat(r.results()).extracting(CheckResult::check).containsExactly("row_count", "schema", "freshness", "unique:dob_ssn",
                "null_rate:credit_card_due", "range:credit_card_due", "allowed:bankruptcies", "range:hard_pulls");
        assertThat(r.results()).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isEqualTo(Status.PASS));
        assertThat(r.passed()).isTrue();
        assertThat(r.overridden()).isFalse();
        QualityRun run = repo.history.runs("credit_history").get(0);
        CsvTable csv = CsvTable.read(repo.csv);
        assertThat(run.metrics().rows()).isEqualTo(csv.rows().size()).isEqualTo(1000);
        assertThat(run.metrics().columns().keySet()).containsExactlyElementsOf(csv.header());
        for (String c : csv.header()) {
            assertThat(run.metrics().columns().get(c).nulls()).as(c).isEqualTo(csv.nulls(c));
        }
        int due = csv.col("credit_card_due");
        assertThat(run.metrics().columns().get("credit_card_due").max().getAsDouble())
                .isEqualTo(csv.rows().stream().mapToDouble(x -> Double.parseDouble(x.get(due))).max().orElseThrow());
        assertThat(run.metrics().newest()).contains(java.time.Instant.parse("2020-04-26T18:01:04.746575Z"));
    }

    @Test
    void aDropBelowTheShareOfTheMedianOfEarlierRunsFailsTheRowCount() throws Exception {
        repo.run(checks);
        repo.run(checks);
        repo.replace(repo.original.firstRows(500));

        QualityReport r = repo.run(checks);

        CheckResult rc = result(r, "row_count");
        assertThat(rc.status()).isEqualTo(Status.FAIL);
        assertThat(rc.observed()).startsWith("500 rows");
        assertThat(rc.expected()).contains("0.8 x median 1000 of the last 2 runs = 800");
        assertThat(r.passed()).isFalse();
        assertThat(r.failures()).extracting(CheckResult::check).containsExactly("row_count");
        assertThat(repo.history.trend("credit_history", "row_count")).extracting(p -> p.value().getAsDouble())
                .containsExactly(1000.0, 1000.0, 500.0);
    }

    @Test
    void aRemovedColumnFailsTheSchemaAndTheRulesOnItWithoutStoppingTheRun() throws Exception {
        repo.run(checks);
        repo.replace(repo.original.withoutColumn("hard_pulls"));

        QualityReport r = repo.run(checks);

        assertThat(result(r, "schema").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "schema").observed()).contains("declared columns missing from the source: [hard_pulls]")
                .contains("missing columns [hard_pulls]");
        assertThat(result(r, "range:hard_pulls").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "range:hard_pulls").observed()).contains("hard_pulls not in csv:");
        assertThat(result(r, "row_count").status()).isEqualTo(Status.PASS);
        assertThat(result(r, "unique:dob_ssn").status()).isEqualTo(Status.PASS);
    }

    @Test
    void nullsInAColumnThatNeverHadAnyFailTheSchemaAndTheNullRate() throws Exception {
        repo.run(checks);
        CsvTable damaged = repo.original.withValue("credit_card_due", 7, "");
        repo.replace(damaged);

        QualityReport r = repo.run(checks);

        long injected = CsvTable.read(repo.csv).nulls("credit_card_due");
        assertThat(injected).isEqualTo(143);
        assertThat(result(r, "schema").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "schema").observed()).isEqualTo("credit_card_due has " + injected + " nulls where no earlier run had any");
        assertThat(result(r, "null_rate:credit_card_due").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "null_rate:credit_card_due").observed()).isEqualTo("0.143 (143 of 1000 rows)");
    }

    @Test
    void aValueThatDoesNotCastToTheDeclaredTypeFailsTheSchema() throws Exception {
        repo.replace(repo.original.withValue("mortgage_due", 100, "n/a"));

        QualityReport r = repo.run(checks);

        assertThat(result(r, "schema").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "schema").observed()).isEqualTo("10 values of mortgage_due do not cast to int64");
    }

    @Test
    void aStaleNewestEventTimeFailsFreshness() throws Exception {
        repo.replace(repo.original.mapColumn("event_timestamp", t -> t.replace("2020-04-26", "2020-02-01")));

        QualityReport r = repo.run(checks);

        CheckResult f = result(r, "freshness");
        assertThat(f.status()).isEqualTo(Status.FAIL);
        assertThat(f.observed()).isEqualTo("newest 2020-02-01T18:01:04.746575Z (89.2d old)");
        assertThat(f.expected()).isEqualTo("newest at most 30d old (not before 2020-04-01T00:00:00Z)");
    }

    @Test
    void duplicatedKeysFailUniquenessNamingAnExample() throws Exception {
        repo.replace(repo.original.withRowsRepeated(25));

        QualityReport r = repo.run(checks);

        CsvTable csv = CsvTable.read(repo.csv);
        long dup = csv.rows().size() - csv.distinct("dob_ssn");
        assertThat(dup).isEqualTo(25);
        CheckResult u = result(r, "unique:dob_ssn");
        assertThat(u.status()).isEqualTo(Status.FAIL);
        assertThat(u.observed()).startsWith("25 duplicate rows, e.g. dob_ssn=").endsWith("(2 rows)");
    }

    @Test
    void aCompositeKeyIsUniqueWhenOneOfItsColumnsTellsRepeatedRowsApart() throws Exception {
        CsvTable twice = repo.original.withRowsRepeated(10);
        int created = twice.col("created_timestamp");
        for (int i = 1000; i < 1010; i++) {
            twice.rows().get(i).set(created, "2020-04-27 00:00:00");
        }
        repo.replace(twice);
        QualityChecks composite = repo.checks("""
                checks:
                  - view: credit_history
                    unique: [[dob_ssn], [dob_ssn, created_timestamp]]
                """);

        QualityReport r = repo.run(composite);

        assertThat(result(r, "unique:dob_ssn").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "unique:dob_ssn,created_timestamp").status()).isEqualTo(Status.PASS);
    }

    @Test
    void valuesOutsideTheRangeOrTheAllowedSetFailTheirChecks() throws Exception {
        repo.replace(repo.original.withValue("hard_pulls", 50, "11").withValue("bankruptcies", 200, "7"));

        QualityReport r = repo.run(checks);

        assertThat(result(r, "range:hard_pulls").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "range:hard_pulls").observed()).isEqualTo("min 0, max 11; 20 rows outside");
        assertThat(result(r, "allowed:bankruptcies").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "allowed:bankruptcies").observed()).isEqualTo("5 rows with other values, e.g. '7'");
        assertThat(result(r, "range:credit_card_due").status()).isEqualTo(Status.PASS);
    }

    @Test
    void aCheckOfSeverityWarnIsReportedButDoesNotStopTheGate() throws Exception {
        repo.replace(repo.original.withValue("hard_pulls", 50, "11"));
        QualityChecks warn = repo.checks("""
                checks:
                  - view: credit_history
                    columns:
                      hard_pulls: {min: 0, max: 10, severity: warn}
                """);

        QualityReport r = repo.run(warn);

        assertThat(result(r, "range:hard_pulls").status()).isEqualTo(Status.WARN);
        assertThat(r.passed()).isTrue();
        assertThat(r.warnings()).hasSize(1);
    }

    @Test
    void anAllowedFailureLetsTheGatePassAndIsRecordedWithItsReason() throws Exception {
        repo.run(checks);
        repo.run(checks);
        repo.replace(repo.original.firstRows(400));

        QualityReport r = repo.run(checks, new AllowedFailure("credit_history/row_count", "half the bureau feed arrives tomorrow"));

        assertThat(r.passed()).isTrue();
        assertThat(r.overridden()).isTrue();
        assertThat(result(r, "row_count").status()).isEqualTo(Status.FAIL);
        assertThat(result(r, "row_count").allowedBecause()).contains("half the bureau feed arrives tomorrow");
        QualityRun stored = repo.history.runs("credit_history").get(2);
        assertThat(stored.allowed()).containsExactly(new AllowedFailure("credit_history/row_count", "half the bureau feed arrives tomorrow"));
        assertThat(stored.results().get(0).overridden()).isTrue();
        assertThat(Files.readString(dir.resolve("data/quality/history/credit_history/run-000003.json")))
                .contains("\"allowed_because\" : \"half the bureau feed arrives tomorrow\"");
    }

    @Test
    void anAllowedFailureNamingNoCheckIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> repo.run(checks, new AllowedFailure("row_cuont", "typo")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("allowed failure 'row_cuont' names no check of this run")
                .hasMessageContaining("credit_history/row_count");
        assertThat(repo.history.runs("credit_history")).isEmpty();
    }

    @Test
    void runsAreKeptInOrderAndEachLaterRunComparesWithThem() throws Exception {
        for (int n : List.of(1000, 900, 950)) {
            repo.replace(repo.original.firstRows(n));
            assertThat(repo.run(checks).passed()).isTrue();
        }
        assertThat(repo.history.runs("credit_history")).extracting(r -> r.metrics().rows()).containsExactly(1000L, 900L, 950L);
        repo.replace(repo.original.firstRows(700));

        CheckResult rc = result(repo.run(checks), "row_count");

        assertThat(rc.status()).isEqualTo(Status.FAIL);
        assertThat(rc.expected()).contains("median 950 of the last 3 runs = 760");
        assertThat(Files.list(dir.resolve("data/quality/history/credit_history")).map(p -> p.getFileName().toString()).sorted())
                .containsExactly("run-000001.json", "run-000002.json", "run-000003.json", "run-000004.json");
    }

    static CheckResult result(QualityReport r, String check) {
        return r.results().stream().filter(c -> c.check().equals(check)).findFirst().orElseThrow(() -> new AssertionError(check + " not in " + r));
    }
}
