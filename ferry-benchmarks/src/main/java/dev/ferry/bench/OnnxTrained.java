package dev.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The benchmarks' ONNX model: the XGBoost benchmark's 100-tree GBDT (see {@link XGBoostTrained})
 * written as an {@code ai.onnx.ml} TreeEnsembleClassifier by {@link XGBoostToOnnx}, so ONNX
 * Runtime evaluates the same trees XGBoost does. Input {@code input: float32[N, 20]}, outputs
 * {@code label: int64[N]} and {@code probabilities: float32[N, 2]}.
 */
final class OnnxTrained {

    private OnnxTrained() {
    }

    /** Trains the GBDT, converts it and writes {@code dir/gbdt.onnx}. */
    static Path trainTo(Path dir) {
        byte[] ubj = XGBoostTrained.trainTo(dir.resolve("gbdt.ubj"));
        Booster booster = XGBoostTrained.load(ubj, 1);
        try {
            byte[] json = booster.toByteArray("json");
            Path file = dir.resolve("gbdt.onnx");
            Files.write(file, XGBoostToOnnx.convert(json, Synthetic.FEATURES).toByteArray());
            return file;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed to export the benchmark model as JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            booster.dispose();
        }
    }
}
