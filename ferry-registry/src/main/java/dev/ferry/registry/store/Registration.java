package dev.ferry.registry.store;

import dev.ferry.InvalidInputException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.Model;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.ModelValidator;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.RegisterRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The registration gate shared by every backend: the artifact is copied into the store's
 * staging area, loaded through {@link ModelRuntimes} with the claimed signature, and checked by
 * {@link ModelValidator}. Only a passed registration reaches a backend, which then numbers and
 * stores it; closing a registration that was not stored deletes the staged copy.
 */
public final class Registration implements AutoCloseable {

    private final RegisterRequest request;
    private final ArtifactStore.Staged staged;
    private final ModelSignature signature;
    private final String runtimeVersion;

    private Registration(RegisterRequest request, ArtifactStore.Staged staged, ModelSignature signature, String runtimeVersion) {
        this.request = request;
        this.staged = staged;
        this.signature = signature;
        this.runtimeVersion = runtimeVersion;
    }

    /**
     * Validates {@code request}; throws {@link dev.ferry.ValidationFailedException} when the
     * model contradicts its signature or fails a golden example, leaving nothing behind.
     */
    public static Registration validate(RegisterRequest request, ArtifactStore store) {
        RegistryNames.checkModel(request.name());
        if (request.artifact() == null) {
            throw new InvalidInputException("artifact of model '" + request.name() + "' was not given but a model file is required");
        }
        if (request.format() == null) {
            throw new InvalidInputException("format of model '" + request.name() + "' was not given but it must be one of onnx, xgboost, lightgbm");
        }
        if (request.signature() == null) {
            throw new InvalidInputException("signature of model '" + request.name() + "' was null but it must be Optional.empty() or a signature");
        }
        ArtifactStore.Staged staged = store.stage(request.artifact());
        try {
            ModelLoadRequest load = new ModelLoadRequest(staged.path(), request.signature(), Map.of());
            try (Model model = ModelRuntimes.load(request.format(), load)) {
                ModelValidator.check(model, request.signature(), request.golden());
                return new Registration(request, staged, model.signature(), model.runtimeVersion());
            }
        } catch (InvalidInputException e) {
            staged.close();
            throw new InvalidInputException("model file " + request.artifact() + " cannot be loaded as " + request.format() + ": "
                    + e.getMessage(), e);
        } catch (ValidationFailedException e) {
            staged.close();
            throw new ValidationFailedException("model file " + request.artifact() + " was refused: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    public String sha256() {
        return staged.sha256();
    }

    /** The signature the runtime read (and the claim, if any, agreed with). */
    public ModelSignature signature() {
        return signature;
    }

    /** Moves the artifact into the store and builds the version record for {@code number}. */
    public ModelVersion commit(int number, Instant now) {
        staged.commit();
        return new ModelVersion(request.name(), number, request.format(), runtimeVersion, signature, staged.sha256(),
                staged.size(), staged.fileName(), request.provenance(), request.golden(),
                blankToDefault(request.createdBy(), "unknown"), now.truncatedTo(ChronoUnit.MICROS),
                blankToDefault(request.message(), ""));
    }

    private static String blankToDefault(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s;
    }

    @Override
    public void close() {
        staged.close();
    }
}
