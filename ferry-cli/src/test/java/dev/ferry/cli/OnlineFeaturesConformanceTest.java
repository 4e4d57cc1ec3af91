package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Feast credit data through the CLI: apply examples/credit, build a training set, materialize,
 * then read online; the values read must be the latest source row per entity, queried directly
 * with DuckDB.
 */
@Tag("conformance")
class OnlineFeaturesConformanceTest {

    private static final Path DATA = Path.of(System.getProperty("ferry.shared.data")).resolve("feast-credit").toAbsolutePath();
    private static final Path EXAMPLE = Path.of("..", "examples", "credit").toAbsolutePath().normalize();
    private static final List<String> CREDIT = List.of("credit_card_due", "mortgage_due", "student_loan_due", "vehicle_loan_due",
            "hard_pulls", "missed_payments_2y", "missed_payments_1y", "missed_payments_6m", "bankruptcies");
    private static final List<String> ZIP = List.of("city", "state", "location_type", "tax_returns_filed", "population", "total_wages");

    @TempDir
    Path dir;

    @Test
    void valuesReadOnlineAreTheLatestSourceRowPerEntity() throws Exception {
        String dataDir = dir.resolve("ferry").toString();
        run("features", "apply", "--data-dir", dataDir, EXAMPLE.toString());
        Path train = dir.resolve("train.parquet");
        run("features", "training-set", "--data-dir", dataDir, "--entities", DATA.resolve("loan_table.parquet").toString(),
                "--service", "credit_model", "-o", train.toString());
        run("features", "materialize", "--data-dir", dataDir);

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone='UTC'");
            String ch = "read_csv('" + DATA.resolve("credit_history_sample.csv") + "')";
            String z = "read_parquet('" + DATA.resolve("zipcode_table.parquet") + "')";
            List<List<String>> entities = rows(s, "SELECT l.dob_ssn, CAST(l.zipcode AS VARCHAR) FROM read_parquet('"
                    + DATA.resolve("loan_table.parquet") + "') l WHERE l.dob_ssn IN (SELECT dob_ssn FROM " + ch + ")"
                    + " ORDER BY l.loan_id LIMIT 8");
            assertThat(entities).hasSize(8);
            List<String> args = new ArrayList<>(List.of("features", "get", "--data-dir", dataDir, "--service", "credit_model",
                    "--as-of", "2021-09-01T00:00:00Z"));
            for (List<String> e : entities) {
                args.addAll(List.of("--entity", "dob_ssn=" + e.get(0), "--entity", "zipcode=" + e.get(1)));
            }
            List<OnlineGet> online = OnlineGet.parse(run(args.toArray(String[]::new)));
            assertThat(online).hasSize(entities.size() * (CREDIT.size() + ZIP.size()));
            int present = 0;
            for (List<String> e : entities) {
                String key = "dob_ssn=" + e.get(0) + " zipcode=" + e.get(1);
                present += check(s, online, key, ch, "dob_ssn = '" + e.get(0) + "'", CREDIT);
                present += check(s, online, key, z, "zipcode = " + e.get(1), ZIP);
            }
            assertThat(present).isGreaterThan(entities.size() * CREDIT.size());

            // Read today, the credit history (a 2020 snapshot, max age 730 days) is too old to serve.
            List<OnlineGet> today = OnlineGet.parse(run("features", "get", "--data-dir", dataDir, "--entity",
                    "dob_ssn=" + entities.getFirst().get(0), "--features", "credit_history:credit_card_due"));
            assertThat(today).extracting(OnlineGet::status).containsExactly("OUTSIDE_MAX_AGE");
        }
    }

    /** Compares one view's online answers for one entity row with the latest source row; returns how many were PRESENT. */
    private static int check(Statement s, List<OnlineGet> online, String key, String table, String where, List<String> features)
            throws Exception {
        List<String> cols = new ArrayList<>();
        features.forEach(f -> cols.add("CAST(" + f + " AS VARCHAR)"));
        cols.add("CAST(epoch_us(CAST(event_timestamp AS TIMESTAMPTZ)) AS VARCHAR)");
        List<List<String>> latest = rows(s, "SELECT " + String.join(", ", cols) + " FROM " + table + " WHERE " + where
                + " ORDER BY event_timestamp DESC, created_timestamp DESC LIMIT 1");
        int present = 0;
        for (int i = 0; i < features.size(); i++) {
            String feature = features.get(i);
            OnlineGet got = online.stream().filter(g -> g.entity().equals(key)).filter(g -> g.feature().equals(feature))
                    .findFirst().orElseThrow(() -> new AssertionError("no online line for " + key));
            if (latest.isEmpty()) {
                assertThat(got.status()).as(key + " " + got.feature()).isEqualTo("NOT_FOUND");
                continue;
            }
            String expected = latest.getFirst().get(i);
            assertThat(got.status()).as(key + " " + got.feature()).isEqualTo(expected == null ? "NULL_VALUE" : "PRESENT");
            assertThat(got.value()).as(key + " " + got.feature()).isEqualTo(expected == null ? "-" : expected);
            Instant t = Instant.parse(got.eventTime());
            assertThat(ChronoUnit.MICROS.between(Instant.EPOCH, t)).isEqualTo(Long.parseLong(latest.getFirst().get(features.size())));
            present += expected == null ? 0 : 1;
        }
        return present;
    }

    private static List<List<String>> rows(Statement s, String sql) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static String run(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r.out();
    }
}
