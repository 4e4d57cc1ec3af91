package dev.ferry.batch;

import dev.ferry.model.ModelFormat;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A seeded synthetic table keyed by {@code id}, an XGBoost model trained on it with
 * {@link XGBoostTrainer}, and XGBoost4J's own predictions for any rows: the reference the batch
 * scores are compared with, computed from the raw values without Ferry's conversion code.
 */
final class Fixture {

    static final List<String> NUMERIC = List.of("f0", "f1", "f2", "f3");
    static final List<Field> FEATURES = List.of(Field.of("f0", FeatureType.FLOAT64), Field.of("f1", FeatureType.FLOAT64),
            Field.of("f2", FeatureType.FLOAT64), Field.of("f3", FeatureType.FLOAT64), Field.of("n", FeatureType.INT64));

    final XGBoostTrainer.Trained trained;
    final Path file;
    private final Booster booster;

    private Fixture(XGBoostTrainer.Trained trained, Path file) throws Exception {
        this.trained = trained;
        this.file = file;
        this.booster = XGBoost.loadModel(trained.modelJson());
    }

    /** Trains {@code rounds} trees on 2,000 seeded rows; {@code shift} changes the labels, so two fixtures disagree. */
    static Fixture train(Path dir, int rounds, double shift) throws Exception {
        List<Row> rows = rows(2_000, 11, 1);
        float[] labels = new float[rows.size()];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double z = value(row, "f0") - 0.5 * value(row, "f1") + 0.3 * (long) row.get("n") + shift;
            labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1f : 0f;
        }
        XGBoostTrainer.Trained t = XGBoostTrainer.train(XGBoostTrainer.signature(FEATURES, Map.of()), rows, labels,
                Map.of("objective", "binary:logistic", "max_depth", 4, "eta", 0.2), rounds, 42);
        Files.createDirectories(dir);
        Path file = dir.resolve("model-" + rounds + "-" + shift + ".json");
        Files.write(file, t.modelJson());
        return new Fixture(t, file);
    }

    private static double value(Row row, String f) {
        return row.get(f) == null ? 0 : (double) row.get(f);
    }

    /** {@code n} rows with ids from {@code firstId}: four doubles (some missing) and a small integer. */
    static List<Row> rows(int n, long seed, long firstId) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", firstId + i);
            for (String f : NUMERIC) {
                m.put(f, r.nextInt(50) == 0 ? null : r.nextGaussian());
            }
            m.put("n", (long) r.nextInt(-3, 4));
            out.add(new Row(m));
        }
        return out;
    }

    /** Registers the model as {@code name} with golden examples scored by XGBoost4J. */
    void register(ModelRegistry registry, String name) {
        List<Row> golden = rows(3, 99, 1);
        float[] p = xgboost(golden);
        List<GoldenExample> examples = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            Map<String, Object> in = new LinkedHashMap<>(golden.get(i).values());
            in.remove("id");
            examples.add(new GoldenExample(in, Map.of("probabilities", List.of(1.0 - p[i], (double) p[i])), 1e-6));
        }
        registry.register(new RegisterRequest(name, file, ModelFormat.XGBOOST, Optional.of(trained.signature()), Provenance.none(),
                examples, "test", "batch scoring fixture"));
    }

    static ModelRegistry registry(Path dir) {
        return FileModelRegistry.open(dir.resolve("registry"));
    }

    /** P(label = 1) for each row, by XGBoost4J's own batch predict on a matrix built here from the raw values. */
    float[] xgboost(List<Row> rows) {
        float[] x = new float[rows.size() * FEATURES.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < FEATURES.size(); j++) {
                Object v = rows.get(i).get(FEATURES.get(j).name());
                x[i * FEATURES.size() + j] = v == null ? Float.NaN : ((Number) v).floatValue();
            }
        }
        try {
            DMatrix m = new DMatrix(x, rows.size(), FEATURES.size(), Float.NaN);
            try {
                float[][] p;
                synchronized (booster) {
                    p = booster.predict(m);
                }
                float[] out = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    out[i] = p[i][0];
                }
                return out;
            } finally {
                m.dispose();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes rows (id, f0..f3, n) to a Parquet file through DuckDB. */
    static Path writeParquet(Path file, List<Row> rows) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT, f0 DOUBLE, f1 DOUBLE, f2 DOUBLE, f3 DOUBLE, n BIGINT)");
            try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "t")) {
                for (Row r : rows) {
                    a.beginRow().append((long) r.get("id"));
                    for (String f : NUMERIC) {
                        if (r.get(f) == null) {
                            a.appendNull();
                        } else {
                            a.append((double) r.get(f));
                        }
                    }
                    a.append((long) r.get("n")).endRow();
                }
            }
            s.execute("COPY t TO '" + file.toAbsolutePath() + "' (FORMAT parquet)");
        }
        return file;
    }

    /** Reads (id, probability of class 1) pairs from a results Parquet file in file order. */
    static List<double[]> readScores(Path file) throws Exception {
        List<double[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT id, probabilities_1 FROM read_parquet('" + file.toAbsolutePath() + "')")) {
            while (rs.next()) {
                out.add(new double[] {rs.getLong(1), rs.getDouble(2)});
            }
        }
        return out;
    }

    static void delete(Path p) throws IOException {
        Files.deleteIfExists(p);
    }
}
