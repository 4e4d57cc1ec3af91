package dev.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The benchmarks' XGBoost model: a binary:logistic GBDT of {@link Synthetic#TREES} trees of
 * depth 6 (XGBoost's default) over {@link Synthetic#FEATURES} features, trained with XGBoost4J
 * on {@link Synthetic#training()} and saved as UBJSON. {@code base_score} is fixed at 0.5 (a zero
 * margin) so the ONNX export of the same trees needs no base value of its own.
 */
final class XGBoostTrained {

    private XGBoostTrained() {
    }

    /** Trains the model and writes it to {@code file}; returns the saved bytes. */
    static byte[] trainTo(Path file) {
        Synthetic data = Synthetic.training();
        try {
            DMatrix train = new DMatrix(data.x, data.rows, Synthetic.FEATURES, Float.NaN);
            try {
                train.setLabel(data.y);
                Map<String, Object> params = Map.of("objective", "binary:logistic", "max_depth", 6, "eta", 0.1,
                        "tree_method", "hist", "base_score", 0.5, "nthread", 1, "seed", 1);
                Booster booster = XGBoost.train(train, params, Synthetic.TREES, Map.of(), null, null);
                try {
                    byte[] bytes = booster.toByteArray("ubj");
                    Files.write(file, bytes);
                    return bytes;
                } finally {
                    booster.dispose();
                }
            } finally {
                train.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to train the benchmark model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A booster loaded from saved bytes with {@code nthread} threads, as Ferry loads it. */
    static Booster load(byte[] bytes, int threads) {
        try {
            Booster booster = XGBoost.loadModel(bytes);
            booster.setParam("nthread", threads);
            return booster;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to load the benchmark model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
