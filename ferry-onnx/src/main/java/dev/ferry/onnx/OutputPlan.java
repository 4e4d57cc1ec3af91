package dev.ferry.onnx;

import dev.ferry.types.TensorSpec;
import java.util.List;

/**
 * How one model output becomes a Ferry tensor.
 *
 * @param spec   the tensor Ferry returns (for a ZipMap output, its dense float32 [N, K] form)
 * @param zipMap whether ONNX Runtime returns a sequence of maps (an {@code ai.onnx.ml} ZipMap)
 * @param labels for a ZipMap output, the class labels in column order, once known (empty until then)
 */
record OutputPlan(TensorSpec spec, boolean zipMap, List<String> labels) {

    OutputPlan {
        labels = List.copyOf(labels);
    }

    static OutputPlan tensor(TensorSpec spec) {
        return new OutputPlan(spec, false, List.of());
    }

    String name() {
        return spec.name();
    }
}
