package dev.ferry.model;

/**
 * Service-provider seam for one artifact format. Each runtime module (ferry-onnx,
 * ferry-xgboost, ferry-lightgbm) registers one implementation in
 * {@code META-INF/services/dev.ferry.model.ModelRuntime}; callers go through
 * {@link ModelRuntimes} rather than naming an implementation.
 */
public interface ModelRuntime {

    ModelFormat format();

    /** The version of the underlying library, e.g. {@code 3.4.0}. */
    String version();

    /**
     * Loads the artifact. Throws {@link dev.ferry.InvalidInputException} for a file that is not a
     * model of this format (naming the file), {@link dev.ferry.ValidationFailedException} when
     * the artifact contradicts the claimed signature.
     */
    Model load(ModelLoadRequest request);
}
