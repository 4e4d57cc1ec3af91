package dev.ferry.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applies {@code examples/credit} and builds the Feast credit-scoring training set from the loan
 * table, then checks it against direct DuckDB queries over the same files.
 */
@Tag("conformance")
class CreditExampleConformanceTest {

    static final Path DATA = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "feast-credit").toAbsolutePath();
    static final Path EXAMPLE = Path.of("..", "examples", "credit").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void loanTrainingSetJoinsZipcodeAndCreditHistoryAsOfEachLoan() throws Exception {
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("registry"));
        ApplyResult applied = registry.apply(FeatureRepository.load(EXAMPLE));
        assertThat(applied.changes()).extracting(ApplyResult.Change::name)
                .contains("zipcode_features", "credit_history", "credit_model", "zipcode", "dob_ssn");
        Path out = dir.resolve("credit-train.parquet");
        Path loans = DATA.resolve("loan_table.parquet");
        TrainingSetManifest m;
        try (OfflineStore store = OfflineStore.open(registry)) {
            m = store.trainingSet(TrainingSetRequest.builder().entities(EntityRows.file(loans)).service("credit_model").output(out).build());
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone='UTC'");
            String l = "read_parquet('" + loans + "')";
            String z = "read_parquet('" + DATA.resolve("zipcode_table.parquet") + "')";
            String ch = "read_csv('" + DATA.resolve("credit_history_sample.csv") + "')";
            String o = "read_parquet('" + out + "')";
            long loanRows = single(s, "SELECT count(*) FROM " + l);
            assertThat(m.entities().rows()).isEqualTo(loanRows).isEqualTo(28_638L);
            assertThat(single(s, "SELECT count(*) FROM " + o)).isEqualTo(loanRows);
            long zipMatches = single(s, "SELECT count(*) FROM " + l + " x WHERE EXISTS (SELECT 1 FROM " + z + " y WHERE y.zipcode = x.zipcode"
                    + " AND y.event_timestamp <= x.event_timestamp AND y.event_timestamp >= x.event_timestamp - INTERVAL 3650 DAY)");
            long creditMatches = single(s, "SELECT count(*) FROM " + l + " x WHERE EXISTS (SELECT 1 FROM " + ch + " y WHERE y.dob_ssn = x.dob_ssn"
                    + " AND CAST(y.event_timestamp AS TIMESTAMPTZ) <= x.event_timestamp"
                    + " AND CAST(y.event_timestamp AS TIMESTAMPTZ) >= x.event_timestamp - INTERVAL 730 DAY)");
            assertThat(m.views()).extracting(TrainingSetManifest.ViewSummary::view, TrainingSetManifest.ViewSummary::matched)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("zipcode_features", zipMatches),
                            org.assertj.core.groups.Tuple.tuple("credit_history", creditMatches));
            assertThat(creditMatches).isEqualTo(1000);
            assertThat(single(s, "SELECT count(credit_history__credit_card_due) FROM " + o)).isEqualTo(creditMatches);
            // The entity rows keep their order and their label.
            assertThat(strings(s, "SELECT CAST(loan_id AS VARCHAR) || ':' || CAST(loan_status AS VARCHAR) FROM " + o))
                    .isEqualTo(strings(s, "SELECT CAST(loan_id AS VARCHAR) || ':' || CAST(loan_status AS VARCHAR) FROM " + l));
            // A few joined values, looked up directly.
            List<String> expected = strings(s, "SELECT x.loan_id || '|' || y.credit_card_due || '|' || y.missed_payments_2y || '|' || w.city || '|' || w.total_wages"
                    + " FROM " + l + " x JOIN " + ch + " y USING (dob_ssn) JOIN " + z + " w USING (zipcode) ORDER BY x.loan_id LIMIT 5");
            List<String> actual = strings(s, "SELECT loan_id || '|' || credit_history__credit_card_due || '|' || credit_history__missed_payments_2y"
                    + " || '|' || zipcode_features__city || '|' || zipcode_features__total_wages FROM " + o
                    + " WHERE credit_history__credit_card_due IS NOT NULL AND zipcode_features__city IS NOT NULL ORDER BY loan_id LIMIT 5");
            assertThat(actual).hasSize(5).isEqualTo(expected);
        }
        assertThat(m.features()).hasSize(15).contains("zipcode_features:city", "credit_history:bankruptcies");
        assertThat(m.toTrainingData().rows()).isEqualTo(28_638L);
        Map<String, Integer> versions = Map.of("zipcode_features", 1, "credit_history", 1);
        m.views().forEach(v -> assertThat(v.version()).isEqualTo(versions.get(v.view())));
    }

    static long single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> strings(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
