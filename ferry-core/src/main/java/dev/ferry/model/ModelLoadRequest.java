package dev.ferry.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a runtime needs to load an artifact.
 *
 * @param artifact  the model file (already verified by the registry if it came from one)
 * @param signature the signature the model is claimed to have; when present the runtime uses
 *                  its feature names, types and categories and refuses an artifact that
 *                  contradicts it (a different feature count, input names or types)
 * @param options   runtime-specific options (e.g. {@code threads}); unknown keys are an error
 */
public record ModelLoadRequest(Path artifact, Optional<ModelSignature> signature, Map<String, String> options) {

    public ModelLoadRequest {
        options = Map.copyOf(options);
    }

    public static ModelLoadRequest of(Path artifact) {
        return new ModelLoadRequest(artifact, Optional.empty(), Map.of());
    }

    public static ModelLoadRequest of(Path artifact, ModelSignature signature) {
        return new ModelLoadRequest(artifact, Optional.of(signature), Map.of());
    }
}
