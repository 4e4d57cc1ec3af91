package dev.ferry.monitoring.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.serving.RollingFilePredictionLog;
import dev.ferry.testing.MutableClock;
import dev.ferry.types.Row;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NannyML's California housing analysis period: its model's predictions go through Ferry's own
 * prediction log, its targets are ingested as outcomes from the CSV, and the resulting AUC and
 * accuracy (overall and per day) are checked against DuckDB SQL and Commons Math computing the
 * same measures straight from the published files.
 */
@Tag("conformance")
class NannymlCaliforniaConformanceTest {

    static final Path DATA = Path.of(System.getProperty("ferry.shared.data", "../shared/data"), "nannyml-california").toAbsolutePath();
    static final String ANALYSIS = DATA.resolve("california_housing_analysis.csv").toString();
    static final String TARGETS = DATA.resolve("california_housing_analysis_gt.csv").toString();

    @TempDir
    static Path dir;
    static List<JoinedOutcome> joined;
    static IngestReport report;

    @BeforeAll
    static void ingest() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2021-06-01T00:00:00Z"));
        Path log = dir.resolve("log");
        try (RollingFilePredictionLog sink = new RollingFilePredictionLog(log, 1 << 20, Duration.ofDays(365), clock);
             Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, \"timestamp\", MedInc, HouseAge, y_pred_proba, y_pred FROM read_csv('" + ANALYSIS + "')")) {
            List<PredictionRecord> batch = new ArrayList<>();
            while (rs.next()) {
                Instant at = rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                batch.add(new PredictionRecord(Long.toString(rs.getLong(1)), at, "california", "champion", "housing", 1, false,
                        AnswerSource.MODEL, false, Map.of("id", rs.getLong(1)),
                        Row.of("MedInc", rs.getDouble(3), "HouseAge", rs.getDouble(4)),
                        Row.of("y_pred_proba", rs.getDouble(5), "y_pred", rs.getLong(6))));
            }
            sink.write(batch);
        }
        List<LoggedPrediction> predictions = PredictionLogReader.read(log);
        assertThat(predictions).hasSize(8232);
        OutcomeStore store = OutcomeStore.inDataDir(dir.resolve("data"), clock);
        OutcomeIngestor ingestor = new OutcomeIngestor(OutcomeSchema.byRequestId("id", "clf_target", LabelKind.BINARY),
                predictions, Duration.ofDays(1), store, clock, 1000);
        try (FileOutcomeSource source = new FileOutcomeSource(Path.of(TARGETS))) {
            report = ingestor.ingest(source, n -> { });
        }
        joined = store.readAll();
    }

    @Test
    void everyTargetJoinsItsPrediction() {
        assertThat(report.read()).isEqualTo(8232);
        assertThat(report.joined()).isEqualTo(8232);
        assertThat(report.unmatched()).isZero();
        assertThat(report.rejectedCount()).isZero();
        assertThat(joined).hasSize(8232);
    }

    @Test
    void overallAucAndAccuracyMatchDuckDbAndCommonsMath() throws Exception {
        Map<String, Double> m = AccuracyAnalysis.overall(joined, AccuracyOptions.classification("y_pred_proba"));
        Map<String, double[]> sql = perDaySql("'all'");
        assertThat(m.get("auc")).isCloseTo(sql.get("all")[0], within(1e-12));
        assertThat(m.get("accuracy")).isCloseTo(sql.get("all")[1], within(1e-12));

        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (JoinedOutcome j : joined) {
            double p = ((Number) j.prediction().output().get("y_pred_proba")).doubleValue();
            (j.label() == 1 ? pos : neg).add(p);
        }
        double u = new MannWhitneyUTest().mannWhitneyU(pos.stream().mapToDouble(Double::doubleValue).toArray(),
                neg.stream().mapToDouble(Double::doubleValue).toArray());
        double aucFromU = u / ((double) pos.size() * neg.size());
        assertThat(m.get("auc")).isCloseTo(Math.max(aucFromU, 1 - aucFromU), within(1e-12));
        assertThat(m.get("auc")).isGreaterThan(0.5);
    }

    @Test
    void dailyAucAndAccuracyMatchDuckDbPerDay() throws Exception {
        List<AccuracyRow> rows = AccuracyAnalysis.compute(joined, AccuracyOptions.classification("y_pred_proba"));
        Map<String, double[]> sql = perDaySql("strftime(date_trunc('day', \"timestamp\"), '%Y-%m-%dT%H:%M:%SZ')");
        assertThat(rows).hasSize(sql.size());
        for (AccuracyRow r : rows) {
            double[] expected = sql.get(r.windowStart().toString());
            assertThat(expected).as("day %s", r.windowStart()).isNotNull();
            assertThat(r.count()).isEqualTo((long) expected[2]);
            if (Double.isNaN(expected[0])) {
                assertThat(r.metrics().get("auc")).isNaN();
            } else {
                assertThat(r.metrics().get("auc")).as("auc on %s", r.windowStart()).isCloseTo(expected[0], within(1e-12));
            }
            assertThat(r.metrics().get("accuracy")).as("accuracy on %s", r.windowStart()).isCloseTo(expected[1], within(1e-12));
        }
    }

    /** AUC from average ranks (ties counted one half), accuracy at 0.5 and count per group, all in SQL. */
    private static Map<String, double[]> perDaySql(String groupExpr) throws Exception {
        String sql = """
                WITH j AS (
                  SELECT %s AS g, a.y_pred_proba AS p, t.clf_target AS y
                  FROM read_csv('%s') a JOIN read_csv('%s') t USING (id)),
                r AS (
                  SELECT g, p, y, rank() OVER (PARTITION BY g ORDER BY p) + (count(*) OVER (PARTITION BY g, p) - 1) / 2.0 AS rk FROM j)
                SELECT g,
                  (sum(CASE WHEN y = 1 THEN rk ELSE 0 END) - sum(y) * (sum(y) + 1) / 2.0) / nullif(sum(y) * (count(*) - sum(y)), 0),
                  avg(CASE WHEN (p >= 0.5)::INT = y THEN 1.0 ELSE 0.0 END),
                  count(*)
                FROM r GROUP BY g
                """.formatted(groupExpr, ANALYSIS, TARGETS);
        Map<String, double[]> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                double auc = rs.getDouble(2);
                out.put(rs.getString(1), new double[] {rs.wasNull() ? Double.NaN : auc, rs.getDouble(3), rs.getLong(4)});
            }
        }
        return out;
    }
}
