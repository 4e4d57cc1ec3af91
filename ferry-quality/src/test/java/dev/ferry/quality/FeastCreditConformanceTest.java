package dev.ferry.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.features.EntityRows;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.features.TrainingSetRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate on the full Feast credit data in {@code ../shared/data/feast-credit}: the zipcode table
 * (Parquet) through its feature view, the 28,638-row loan table as a plain file, and the training
 * set Ferry builds from them. Counts are checked against queries written here directly in DuckDB
 * and against Jackson CSV's reading of the CSV sample.
 */
@Tag("conformance")
class FeastCreditConformanceTest {

    static final Path DATA = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "feast-credit").toAbsolutePath();
    static final Path EXAMPLE = Path.of("..", "examples", "credit").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theCreditHistorySampleOfTheSharedDataPassesAndAHalvedCopyFails() throws Exception {
        try (CreditRepo repo = new CreditRepo(dir, DATA.resolve("credit_history_sample.csv"))) {
            QualityChecks checks = repo.checks(QualityGateTest.CHECKS);
            assertThat(repo.run(checks).passed()).isTrue();
            assertThat(repo.history.runs("credit_history").get(0).metrics().rows()).isEqualTo(CsvTable.read(repo.csv).rows().size());
            repo.replace(repo.original.firstRows(repo.original.rows().size() / 2));
            QualityReport half = repo.run(checks);
            assertThat(half.failures()).extracting(CheckResult::check).containsExactly("row_count");
        }
    }

    @Test
    void theFullLoanTableZipcodeViewAndTheTrainingSetAreMeasuredAsDuckDbCountsThem() throws Exception {
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("data/features"));
        registry.apply(FeatureRepository.load(EXAMPLE.resolve("features.yaml")));
        Path loans = DATA.resolve("loan_table.parquet");
        Path training = dir.resolve("train.parquet");
        Files.writeString(dir.resolve("quality.yaml"), """
                checks:
                  - view: zipcode_features
                    unique: [zipcode, event_timestamp]
                    columns:
                      population: {max_null_rate: 0, min: 0}
                  - file: %s
                    name: loans
                    freshness: {column: event_timestamp, max_age: 1000d}
                    unique: [loan_id]
                    columns:
                      loan_status: {allowed: [0, 1], max_null_rate: 0}
                      person_emp_length: {max_null_rate: 0.05}
                  - file: train.parquet
                    unique: [loan_id]
                    columns:
                      credit_history__credit_card_due: {max_null_rate: 0.99}
                """.formatted(loans));
        try (OfflineStore store = OfflineStore.open(registry)) {
            TrainingSetManifest m = store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(loans)).service("credit_model")
                    .output(training).build());
            QualityChecks checks = QualityChecks.load(dir.resolve("quality.yaml")).requireValid(registry, store);
            QualityHistory history = QualityHistory.inDataDir(dir.resolve("data"));
            QualityReport r = QualityGate.create(store, registry, history, Clock.fixed(Instant.parse("2021-09-01T00:00:00Z"), ZoneOffset.UTC))
                    .run(checks, List.of());

            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                String l = "read_parquet('" + loans + "')";
                String z = "read_parquet('" + DATA.resolve("zipcode_table.parquet") + "')";
                Metrics loanMetrics = history.runs("loans").get(0).metrics();
                assertThat(loanMetrics.rows()).isEqualTo(single(s, "SELECT count(*) FROM " + l)).isEqualTo(28_638L);
                assertThat(loanMetrics.columns().get("person_emp_length").nulls())
                        .isEqualTo(single(s, "SELECT count(*) FROM " + l + " WHERE person_emp_length IS NULL"));
                assertThat(history.runs("zipcode_features").get(0).metrics().rows()).isEqualTo(single(s, "SELECT count(*) FROM " + z));
                long zipDup = single(s, "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT zipcode, event_timestamp FROM " + z + ")) FROM " + z);
                assertThat(QualityGateTest.result(only(r, "zipcode_features"), "unique:zipcode,event_timestamp").status())
                        .isEqualTo(zipDup == 0 ? Status.PASS : Status.FAIL);
                long lateLoans = single(s, "SELECT count(*) FROM " + l + " WHERE loan_status NOT IN (0, 1)");
                assertThat(lateLoans).isZero();
                Metrics train = history.runs("train").get(0).metrics();
                assertThat(train.rows()).isEqualTo(m.entities().rows());
                long matchedCredit = m.views().stream().filter(v -> v.view().equals("credit_history")).findFirst().orElseThrow().matched();
                assertThat(train.columns().get("credit_history__credit_card_due").nulls()).isEqualTo(m.entities().rows() - matchedCredit);
            }
            assertThat(only(r, "loans").results()).allSatisfy(x -> assertThat(x.status()).as(x.toString()).isEqualTo(Status.PASS));
            assertThat(QualityGateTest.result(only(r, "loans"), "freshness").observed()).startsWith("newest 2021-08-");
            assertThat(only(r, "train").passed()).isTrue();
        }
    }

    private static QualityReport only(QualityReport r, String target) {
        return new QualityReport(r.at(), r.results().stream().filter(x -> x.target().equals(target)).toList(), r.allowed());
    }

    private static long single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
