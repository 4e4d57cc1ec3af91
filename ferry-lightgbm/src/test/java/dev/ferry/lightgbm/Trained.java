package dev.ferry.lightgbm;

import com.microsoft.ml.lightgbm.PredictionType;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small model trained in the test with lightgbm4j, kept open as the booster Ferry's answers are
 * compared with, and saved in LightGBM's text format for Ferry to load.
 */
final class Trained implements AutoCloseable {

    final LGBMBooster booster;
    private final LGBMDataset data;
    final String text;
    final double[] x;
    final int rows;
    final int cols;

    private Trained(LGBMBooster booster, LGBMDataset data, String text, double[] x, int rows, int cols) {
        this.booster = booster;
        this.data = data;
        this.text = text;
        this.x = x;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Trains {@code iterations} rounds on row-major {@code x} with {@code labels}. The dataset
     * stays open as long as the booster: LightGBM's booster keeps pointing at its training data.
     */
    static Trained train(double[] x, int rows, int cols, float[] labels, String[] names, String params, int iterations) {
        try {
            LGBMDataset data = LGBMDataset.createFromMat(x, rows, cols, true, params, null);
            data.setFeatureNames(names);
            data.setField("label", labels);
            LGBMBooster booster = LGBMBooster.create(data, params);
            for (int i = 0; i < iterations; i++) {
                booster.updateOneIter();
            }
            String text = booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
            return new Trained(booster, data, text, x, rows, cols);
        } catch (LGBMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binary: label 1 when a noisy linear score is positive; NaN in {@code nanRate} of the cells. */
    static Trained binary(long seed, double nanRate) {
        Random random = new Random(seed);
        int rows = 400;
        int cols = 3;
        double[] x = new double[rows * cols];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            double score = 0;
            for (int c = 0; c < cols; c++) {
                double v = random.nextGaussian();
                score += (c + 1) * v;
                x[r * cols + c] = random.nextDouble() < nanRate ? Double.NaN : v;
            }
            y[r] = score + random.nextGaussian() > 0 ? 1 : 0;
        }
        return train(x, rows, cols, y, new String[] {"a", "b", "c"},
                "objective=binary num_leaves=7 min_data_in_leaf=5 verbose=-1 seed=1 deterministic=true num_threads=1", 15);
    }

    /** Three classes from the arg-max of three noisy scores. */
    static Trained multiclass(long seed) {
        Random random = new Random(seed);
        int rows = 450;
        int cols = 4;
        double[] x = new double[rows * cols];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                x[r * cols + c] = random.nextGaussian();
            }
            double s0 = x[r * cols] + 0.3 * random.nextGaussian();
            double s1 = x[r * cols + 1] - x[r * cols + 2];
            double s2 = x[r * cols + 3];
            y[r] = s0 >= s1 && s0 >= s2 ? 0 : s1 >= s2 ? 1 : 2;
        }
        return train(x, rows, cols, y, new String[] {"f0", "f1", "f2", "f3"},
                "objective=multiclass num_class=3 num_leaves=7 min_data_in_leaf=5 verbose=-1 seed=1 deterministic=true num_threads=1", 10);
    }

    /** Regression with NaNs; feature "color" (column 0) is categorical with codes 0..3 when {@code categorical}. */
    static Trained regression(long seed, boolean categorical) {
        Random random = new Random(seed);
        int rows = 500;
        int cols = 3;
        double[] x = new double[rows * cols];
        float[] y = new float[rows];
        double[] effect = {3.0, -2.0, 0.5, 1.5};
        for (int r = 0; r < rows; r++) {
            int code = random.nextInt(4);
            double u = random.nextGaussian();
            double v = random.nextGaussian();
            x[r * cols] = code;
            x[r * cols + 1] = random.nextDouble() < 0.15 ? Double.NaN : u;
            x[r * cols + 2] = v;
            y[r] = (float) (effect[code] + 2 * (Double.isNaN(x[r * cols + 1]) ? 4 : u) - v + 0.1 * random.nextGaussian());
        }
        String params = "objective=regression num_leaves=7 min_data_in_leaf=5 min_data_per_group=5 cat_smooth=1 verbose=-1 seed=1 deterministic=true num_threads=1"
                + (categorical ? " categorical_feature=0" : "");
        return train(x, rows, cols, y, new String[] {"color", "u", "v"}, params, 20);
    }

    /** lightgbm4j's own prediction for the given rows (single-output models only: its buffer holds two values a row). */
    double[] direct(double[] data, int n, PredictionType type) {
        try {
            return booster.predictForMat(data, n, cols, true, type);
        } catch (LGBMException e) {
            throw new IllegalStateException(e);
        }
    }

    Path save(Path dir, String name) {
        return save(dir, name, text);
    }

    static Path save(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            booster.close();
            data.close();
        } catch (LGBMException e) {
            throw new IllegalStateException(e);
        }
    }
}
