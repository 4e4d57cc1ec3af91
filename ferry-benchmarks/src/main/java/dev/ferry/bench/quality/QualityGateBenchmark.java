package dev.ferry.bench.quality;

import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.quality.QualityChecks;
import dev.ferry.quality.QualityGate;
import dev.ferry.quality.QualityHistory;
import dev.ferry.quality.QualityReport;
import dev.ferry.quality.Target;
import dev.ferry.quality.TargetChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Data quality gate cost (BENCHMARKS.md, "Data quality gates"): every column of a Parquet file gets a
 * null-rate rule and every numeric column a range rule, plus row count and schema; the gate's one
 * aggregate scan is timed against the same measures taken one query per measure in a plain DuckDB
 * connection. A load generator, not JMH: one run is a scan of the file. Run:
 * {@code java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' dev.ferry.bench.quality.QualityGateBenchmark ../shared/data/flights-3m/flights-3m.parquet 3}
 */
public final class QualityGateBenchmark {

    private QualityGateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/flights-3m/flights-3m.parquet").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String rel = "read_parquet('" + file.toString().replace("'", "''") + "')";
        Map<String, String> columns = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + rel)) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2).toUpperCase(Locale.ROOT));
            }
        }
        TargetChecks.Builder b = TargetChecks.builder("bench", Target.file(file));
        List<String> separate = new ArrayList<>();
        separate.add("SELECT count(*) FROM " + rel);
        columns.forEach((col, type) -> {
            String id = "\"" + col.replace("\"", "\"\"") + "\"";
            boolean numeric = type.matches("(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL.*)");
            separate.add("SELECT count(*) - count(" + id + ") FROM " + rel);
            if (numeric) {
                b.column(col, new TargetChecks.ColumnRule(java.util.OptionalDouble.of(1), java.util.OptionalDouble.of(-1e12),
                        java.util.OptionalDouble.of(1e12), List.of(), dev.ferry.quality.Severity.FAIL));
                separate.add("SELECT min(" + id + "), max(" + id + ") FROM " + rel);
                separate.add("SELECT count(*) FILTER (WHERE " + id + " < -1e12 OR " + id + " > 1e12) FROM " + rel);
            } else {
                b.column(col, TargetChecks.ColumnRule.maxNullRate(1));
            }
        });
        QualityChecks checks = QualityChecks.of(b.build());
        Path tmp = Files.createTempDirectory("ferry-bench-quality");
        FeatureRegistry registry = FeatureRegistry.open(tmp.resolve("features"));
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            QualityReport r;
            try (OfflineStore store = OfflineStore.open(registry)) {
                r = QualityGate.create(store, registry, QualityHistory.open(tmp.resolve("history"))).run(checks, List.of());
            }
            long gate = System.nanoTime() - t0;
            t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                for (String q : separate) {
                    try (ResultSet rs = s.executeQuery(q)) {
                        rs.next();
                    }
                }
            }
            long apart = System.nanoTime() - t0;
            System.out.printf("run %d: %d columns, %d checks: gate (one scan, history written) %d ms; %d separate queries %d ms%n",
                    run, columns.size(), r.results().size(), gate / 1_000_000, separate.size(), apart / 1_000_000);
        }
        System.exit(0);
    }
}
