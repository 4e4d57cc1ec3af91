package dev.ferry.bench;

import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded synthetic binary-classification data shared by the runtime benchmarks: rows of
 * {@link #FEATURES} float32 features {@code f0..f19}, labelled by a noisy non-linear rule so the
 * boosted trees grow to full depth. The same seed gives the same rows in every benchmark, so each
 * runtime is trained and scored on identical numbers.
 */
final class Synthetic {

    static final int FEATURES = 20;
    static final int TRAINING_ROWS = 5_000;
    static final int TREES = 100;

    /** Row-major {@code [rows, FEATURES]} values. */
    final float[] x;
    /** 0 or 1 per row. */
    final float[] y;
    final int rows;

    private Synthetic(float[] x, float[] y, int rows) {
        this.x = x;
        this.y = y;
        this.rows = rows;
    }

    static Synthetic generate(int rows, long seed) {
        Random random = new Random(seed);
        float[] x = new float[rows * FEATURES];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int at = r * FEATURES;
            for (int j = 0; j < FEATURES; j++) {
                x[at + j] = (float) random.nextGaussian();
            }
            double score = x[at] * x[at + 1] + Math.sin(3 * x[at + 2]) + 0.5 * x[at + 3] - Math.abs(x[at + 4])
                    + 0.3 * x[at + 5] * x[at + 6] + 0.2 * random.nextGaussian();
            for (int j = 7; j < FEATURES; j++) {
                score += 0.05 * x[at + j];
            }
            y[r] = score > 0 ? 1 : 0;
        }
        return new Synthetic(x, y, rows);
    }

    /** The data to train every benchmarked model on. */
    static Synthetic training() {
        return generate(TRAINING_ROWS, 42);
    }

    /** The rows the benchmarks score (different seed from training). */
    static Synthetic scoring(int rows) {
        return generate(rows, 7);
    }

    /** The packed {@code [rows, FEATURES]} tensor named {@code input}. */
    Tensor tensor(String input) {
        return Tensor.ofFloats(input, new long[] {rows, FEATURES}, x.clone());
    }

    /** The packed {@code [rows, FEATURES]} values widened to float64, for LightGBM. */
    double[] doubles() {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /** The same values as rows of named float32 features {@code f0..f19}. */
    List<Row> toRows() {
        return toRows(false);
    }

    /** The same values as rows of named features {@code f0..f19}, as Double when {@code float64}. */
    List<Row> toRows(boolean float64) {
        List<Row> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int j = 0; j < FEATURES; j++) {
                float v = x[r * FEATURES + j];
                values.put(featureName(j), float64 ? (Object) (double) v : (Object) v);
            }
            out.add(new Row(values));
        }
        return out;
    }

    static String featureName(int j) {
        return "f" + j;
    }
}
