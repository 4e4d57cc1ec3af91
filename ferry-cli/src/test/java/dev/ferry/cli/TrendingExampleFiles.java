package dev.ferry.cli;

import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Generates the synthetic files of examples/trending with fixed seeds: product activity snapshots
 * (the table scored), a "will it trend in the next two hours" XGBoost model trained on separate
 * synthetic history, and golden examples scored by XGBoost4J. Run {@code main} with the example
 * directory to rewrite them; {@link TrendingExampleTest} checks the committed data is what it generates.
 */
final class TrendingExampleFiles {

    static final List<Field> FEATURES = List.of(Field.of("views_1h", FeatureType.INT64), Field.of("views_24h", FeatureType.INT64),
            Field.of("carts_24h", FeatureType.INT64), Field.of("price", FeatureType.FLOAT64), Field.of("days_listed", FeatureType.INT64));
    static final int PRODUCTS = 300;
    static final int SNAPSHOTS = 6;
    static final Instant FIRST_SNAPSHOT = Instant.parse("2026-03-02T00:00:00Z");

    private TrendingExampleFiles() {
    }

    public static void main(String[] args) throws Exception {
        write(Path.of(args[0]));
    }

    static void write(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/product_activity.csv"), activityCsv());
        XGBoostTrainer.Trained t = train();
        Files.write(dir.resolve("trending-model.json"), t.modelJson());
        List<Row> golden = history(10, 77).rows;
        float[] p = predict(t.modelJson(), golden);
        StringBuilder in = new StringBuilder(String.join(",", FEATURES.stream().map(Field::name).toList())).append('\n');
        StringBuilder out = new StringBuilder("probabilities(0),probabilities(1)\n");
        for (int i = 0; i < golden.size(); i++) {
            Row r = golden.get(i);
            in.append(String.join(",", FEATURES.stream().map(f -> String.valueOf(r.get(f.name()))).toList())).append('\n');
            out.append(1.0 - p[i]).append(',').append(p[i]).append('\n');
        }
        Files.writeString(dir.resolve("golden-inputs.csv"), in);
        Files.writeString(dir.resolve("golden-expected.csv"), out);
    }

    /** Hourly snapshots of every product's activity; a few products take off in the last hours. */
    static String activityCsv() {
        SplittableRandom r = new SplittableRandom(2026);
        StringBuilder b = new StringBuilder("product_id,event_timestamp,views_1h,views_24h,carts_24h,price,days_listed\n");
        for (int p = 1; p <= PRODUCTS; p++) {
            double base = 5 + r.nextDouble() * 60;
            boolean rising = r.nextInt(10) == 0;
            double price = Math.round((5 + r.nextDouble() * 195) * 100) / 100.0;
            int listed = 1 + r.nextInt(400);
            for (int s = 0; s < SNAPSHOTS; s++) {
                double level = base * (rising ? Math.pow(1.6, s) : 1 + 0.1 * r.nextGaussian());
                long views1h = Math.max(0, Math.round(level + r.nextGaussian() * Math.sqrt(level)));
                long views24h = Math.max(views1h, Math.round(base * 24 * (1 + 0.05 * r.nextGaussian()) + (rising ? level * 3 : 0)));
                long carts = Math.round(views24h * (0.02 + 0.03 * r.nextDouble()));
                Instant t = FIRST_SNAPSHOT.plus(Duration.ofHours(s));
                b.append(p).append(',').append(t.toString().replace("T", " ").replace("Z", "")).append(',').append(views1h).append(',')
                        .append(views24h).append(',').append(carts).append(',').append(price).append(',').append(listed + s / 24).append('\n');
            }
        }
        return b.toString();
    }

    record History(List<Row> rows, float[] labels) {
    }

    /** Past snapshots with whether the product trended in the next two hours: growth and carts make it likely. */
    static History history(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>(n);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            long views24h = 24 + r.nextInt(2_000);
            double growth = Math.exp(r.nextGaussian() * 0.8);
            long views1h = Math.max(0, Math.round(views24h / 24.0 * growth));
            long carts = Math.round(views24h * (0.01 + 0.05 * r.nextDouble()));
            double price = Math.round((5 + r.nextDouble() * 195) * 100) / 100.0;
            long listed = 1 + r.nextInt(400);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("views_1h", views1h);
            m.put("views_24h", views24h);
            m.put("carts_24h", carts);
            m.put("price", price);
            m.put("days_listed", listed);
            rows.add(new Row(m));
            double z = 2.2 * Math.log(growth) + 20 * carts / (double) views24h - 0.004 * price - 0.002 * listed - 1.0;
            labels[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1f : 0f;
        }
        return new History(rows, labels);
    }

    static XGBoostTrainer.Trained train() {
        History h = history(5_000, 7);
        return XGBoostTrainer.train(XGBoostTrainer.signature(FEATURES, Map.of()), h.rows, h.labels,
                Map.of("objective", "binary:logistic", "max_depth", 4, "eta", 0.15), 60, 42);
    }

    /** P(trend) by XGBoost4J itself from the raw values. */
    static float[] predict(byte[] modelJson, List<Row> rows) throws Exception {
        Booster booster = XGBoost.loadModel(modelJson);
        float[] x = new float[rows.size() * FEATURES.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < FEATURES.size(); j++) {
                x[i * FEATURES.size() + j] = ((Number) rows.get(i).get(FEATURES.get(j).name())).floatValue();
            }
        }
        DMatrix m = new DMatrix(x, rows.size(), FEATURES.size(), Float.NaN);
        try {
            float[][] p = booster.predict(m);
            float[] out = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i][0];
            }
            return out;
        } finally {
            m.dispose();
            booster.dispose();
        }
    }
}
