package dev.ferry.serving;

import dev.ferry.registry.ModelVersion;

/**
 * A model version the engine holds, and whether it serves.
 *
 * @param version the registry version
 * @param ready   true once loaded, validated against its golden examples and warmed up
 * @param platform the Open Inference Protocol platform string, e.g. {@code onnx_onnxv1}
 */
public record ModelStatus(ModelVersion version, boolean ready, String platform) {
}
