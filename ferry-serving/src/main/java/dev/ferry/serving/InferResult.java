package dev.ferry.serving;

import dev.ferry.types.Tensor;
import java.util.Map;

/**
 * The outputs of a raw-tensor inference ({@link ServingEngine#infer}), as the Open Inference
 * Protocol exchanges them.
 */
public record InferResult(String model, int version, Map<String, Tensor> outputs) {

    public InferResult {
        outputs = Map.copyOf(outputs);
    }
}
