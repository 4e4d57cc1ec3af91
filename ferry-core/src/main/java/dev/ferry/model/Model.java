package dev.ferry.model;

import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded model, ready to predict. Implementations are thread-safe: many threads may call
 * {@link #predict} at once. {@link #close} frees native memory; calling predict after close is
 * an error. Obtain one from {@link ModelRuntimes#load}.
 */
public interface Model extends AutoCloseable {

    ModelSignature signature();

    ModelFormat format();

    /** The version of the runtime library that executes this model (e.g. ONNX Runtime 1.23.2). */
    String runtimeVersion();

    /**
     * Runs a batch. {@code inputs} holds one tensor per signature input, first dimension the
     * batch; the result holds one tensor per signature output, first dimension the batch.
     */
    Map<String, Tensor> predict(Map<String, Tensor> inputs);

    /** Converts rows to tensors with {@link RowTensors}, predicts, and splits the outputs into rows. */
    default List<Row> predictRows(List<Row> rows) {
        return RowTensors.toRows(predict(RowTensors.toInputs(signature(), rows)), rows.size());
    }

    /**
     * Per-feature contributions (SHAP values) where the runtime computes them: a tensor of shape
     * [batch, features + 1] (the last column is the bias), or [batch, classes, features + 1] for
     * multi-class models. Empty where the runtime has none.
     */
    default Optional<Tensor> contributions(Map<String, Tensor> inputs) {
        return Optional.empty();
    }

    LoadInfo loadInfo();

    @Override
    void close();
}
