package dev.ferry.registry.store;

import dev.ferry.ValidationFailedException;
import dev.ferry.model.Model;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelValidator;
import dev.ferry.registry.ModelVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads registered versions for serving: the artifact's SHA-256 is checked, the model is
 * loaded with its stored signature, and its golden examples run again before it is handed out,
 * so a runtime upgrade that changes predictions stops the model from being marked ready.
 */
public final class RegistryModels {

    private RegistryModels() {
    }

    /** Resolves {@code ref} (number, alias or {@code latest}) and loads that version. */
    public static Model load(ModelRegistry registry, String name, String ref) {
        return load(registry, registry.resolve(name, ref));
    }

    /**
     * Loads {@code version}. Throws {@link ValidationFailedException} when the artifact was
     * altered, the runtime disagrees with the stored signature, or a golden example fails.
     */
    public static Model load(ModelRegistry registry, ModelVersion version) {
        Path artifact = registry.artifact(version);
        Model model = ModelRuntimes.load(version.format(),
                new ModelLoadRequest(artifact, Optional.of(version.signature()), Map.of()));
        try {
            ModelValidator.check(model, Optional.of(version.signature()), version.golden());
        } catch (ValidationFailedException e) {
            model.close();
            throw new ValidationFailedException(version.ref() + " failed validation on load with " + version.format() + " runtime "
                    + model.runtimeVersion() + " (registered with " + version.runtimeVersion() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * Checks a version without keeping it loaded (the CLI's {@code models validate}): artifact
     * hash, load, signature and golden examples. Throws on the first failing stage.
     */
    public static ValidationReport validate(ModelRegistry registry, String name, String ref) {
        ModelVersion version = registry.resolve(name, ref);
        try (Model model = load(registry, version)) {
            return new ValidationReport(version, model.runtimeVersion(), version.golden().size());
        }
    }

    /**
     * A passed validation.
     *
     * @param version        the version checked
     * @param runtimeVersion the runtime that loaded it now (may differ from the one that registered it)
     * @param goldenExamples how many golden examples it reproduced
     */
    public record ValidationReport(ModelVersion version, String runtimeVersion, int goldenExamples) {

        public List<String> lines() {
            return List.of(version.ref() + ": artifact sha256 " + version.sha256() + " verified",
                    "loaded with " + version.format() + " runtime " + runtimeVersion,
                    goldenExamples + " golden example(s) reproduced");
        }
    }
}
