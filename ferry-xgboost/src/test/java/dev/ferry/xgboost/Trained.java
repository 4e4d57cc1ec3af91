package dev.ferry.xgboost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A small model trained in the test with XGBoost4J on seeded synthetic data, with the data it
 * can be scored on and the booster itself for direct comparison.
 */
final class Trained implements AutoCloseable {

    final Booster booster;
    final float[] data;
    final int rows;
    final int features;

    private Trained(Booster booster, float[] data, int rows, int features) {
        this.booster = booster;
        this.data = data;
        this.rows = rows;
        this.features = features;
    }

    /** Trains {@code objective} on rows of {@code features} values; {@code missing} of the cells become NaN. */
    static Trained train(String objective, int classes, int features, double missing, Map<String, Object> extra)
            throws XGBoostError {
        int rows = 300;
        Random random = new Random(42);
        float[] x = new float[rows * features];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            double score = 0;
            for (int j = 0; j < features; j++) {
                float v = (float) random.nextGaussian();
                score += v * (j + 1) / features;
                x[r * features + j] = random.nextDouble() < missing ? Float.NaN : v;
            }
            y[r] = switch (objective.substring(0, objective.indexOf(':'))) {
                case "binary" -> score > 0 ? 1 : 0;
                case "multi" -> (float) Math.min(classes - 1, Math.max(0, Math.floor(score + classes / 2.0)));
                case "count" -> (float) Math.floor(Math.exp(score / 2));
                default -> (float) (score * 3 + 1);
            };
        }
        DMatrix train = new DMatrix(x, rows, features, Float.NaN);
        train.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", objective, "max_depth", 3, "eta", 0.3,
                "nthread", 1, "seed", 1));
        if (classes > 0) {
            params.put("num_class", classes);
        }
        params.putAll(extra);
        Booster booster = XGBoost.train(train, params, 12, Map.of(), null, null);
        train.dispose();
        return new Trained(booster, x, rows, features);
    }

    static Trained train(String objective, int classes, int features) throws XGBoostError {
        return train(objective, classes, features, 0, Map.of());
    }

    /** Saves the model as {@code name} (the extension, .json or .ubj, picks the format). */
    Path save(Path dir, String name) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, booster.toByteArray(name.endsWith(".ubj") ? "ubj" : "json"));
        return file;
    }

    float[][] predict(boolean margin) throws XGBoostError {
        DMatrix m = new DMatrix(data, rows, features, Float.NaN);
        try {
            return booster.predict(m, margin);
        } finally {
            m.dispose();
        }
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
