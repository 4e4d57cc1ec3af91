package dev.ferry.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.PostgresSource;
import dev.ferry.testkit.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view whose source is a PostgreSQL table (a real server from the testkit) holding the credit
 * history sample: the gate reads the rows the offline store copies, and sees rows deleted and
 * nulls written in the table between runs.
 */
class PostgresSourceQualityTest {

    @TempDir
    Path dir;

    @Test
    void deletedRowsAndNewNullsInThePostgresTableFailTheGate() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        CsvTable csv = CsvTable.read(CreditRepo.EXAMPLE_DATA.resolve("credit_history_sample.csv"));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE credit_history (dob_ssn text, event_timestamp timestamp, credit_card_due bigint, bankruptcies bigint)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO credit_history VALUES (?, ?::timestamp, ?, ?)")) {
                for (List<String> r : csv.rows()) {
                    ps.setString(1, r.get(csv.col("dob_ssn")));
                    ps.setString(2, r.get(csv.col("event_timestamp")));
                    ps.setLong(3, Long.parseLong(r.get(csv.col("credit_card_due"))));
                    ps.setLong(4, Long.parseLong(r.get(csv.col("bankruptcies"))));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("features"));
        registry.apply(FeatureRepository.builder()
                .entity(new dev.ferry.features.Entity("dob_ssn", List.of(new dev.ferry.features.JoinKey("dob_ssn", dev.ferry.types.ScalarType.STRING)), ""))
                .view(FeatureView.builder("credit_history").entity("dob_ssn")
                        .source(new PostgresSource(db.jdbcUrl(), Optional.of("credit_history"), Optional.empty(), Optional.of(db.user()), Optional.empty()))
                        .feature("credit_card_due", "int64").feature("bankruptcies", "int64").build())
                .build());
        QualityChecks checks = QualityChecks.of(TargetChecks.builder("credit_history", Target.view("credit_history"))
                .rowCount(new TargetChecks.RowCount(0.8, 5, 0, Severity.FAIL))
                .unique("dob_ssn")
                .column("bankruptcies", TargetChecks.ColumnRule.allowed("0", "1", "2"))
                .build());
        QualityHistory history = QualityHistory.open(dir.resolve("history"));

        QualityReport first = run(registry, checks, history);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM credit_history WHERE credit_card_due % 2 = 0");
            s.execute("UPDATE credit_history SET credit_card_due = NULL WHERE bankruptcies = 1");
        }
        QualityReport second = run(registry, checks, history);

        assertThat(first.passed()).as(first.toString()).isTrue();
        assertThat(history.runs("credit_history").get(0).metrics().rows()).isEqualTo(csv.rows().size());
        int due = csv.col("credit_card_due");
        int bank = csv.col("bankruptcies");
        long odd = csv.rows().stream().filter(r -> Long.parseLong(r.get(due)) % 2 != 0).count();
        long nulled = csv.rows().stream().filter(r -> Long.parseLong(r.get(due)) % 2 != 0 && r.get(bank).equals("1")).count();
        Metrics after = history.runs("credit_history").get(1).metrics();
        assertThat(after.rows()).isEqualTo(odd);
        assertThat(after.columns().get("credit_card_due").nulls()).isEqualTo(nulled).isPositive();
        assertThat(second.failures()).extracting(CheckResult::check).containsExactly("row_count", "schema");
        assertThat(QualityGateTest.result(second, "schema").observed())
                .isEqualTo("credit_card_due has " + nulled + " nulls where no earlier run had any");
    }

    private static QualityReport run(FeatureRegistry registry, QualityChecks checks, QualityHistory history) {
        try (OfflineStore store = OfflineStore.open(registry)) {
            return QualityGate.create(store, registry, history, Clock.fixed(java.time.Instant.parse("2020-05-01T00:00:00Z"), ZoneOffset.UTC))
                    .run(checks.requireValid(registry, store), List.of());
        }
    }
}
