package dev.ferry.registry.store;

import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.json.RegistryJson;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The hand-written file (YAML or JSON) that goes with a model file on {@code ferry models
 * register}: golden examples, provenance, optionally the claimed signature and a message. All
 * keys are optional; an unknown key or {@code formatVersion} is refused.
 *
 * <pre>
 * formatVersion: 1
 * message: retrained on October data
 * provenance:
 *   trainingData: {source: "training-set:credit@3", fingerprint: "sha256:...", rows: 28000}
 *   parameters: {max_depth: "6"}
 *   seed: 42
 *   metrics: {auc: 0.91}
 *   code: {commit: 1a2b3c4, dirty: false}
 *   runId: run-17
 * golden:
 *   - inputs: {age: 41, income: 52000.0}
 *     expected: {probability: 0.137}
 *     tolerance: 1.0e-4          # default 1e-6
 * </pre>
 */
public final class RegistrationSpec {

    public static final int FORMAT_VERSION = 1;

    private static final Set<String> KEYS = Set.of("formatVersion", "message", "provenance", "golden", "signature");

    private RegistrationSpec() {
    }

    /**
     * Builds a request for {@code artifact}. {@code format} empty means "tell it from the file
     * name"; {@code spec} empty means no golden examples and no provenance.
     */
    public static RegisterRequest request(String name, Path artifact, Optional<ModelFormat> format, Optional<Path> spec,
                                          String createdBy, String message) {
        ModelFormat f = format.orElseGet(() -> ModelFormat.fromFileName(artifact.getFileName().toString()));
        Map<String, Object> doc = spec.map(RegistrationSpec::load).orElse(Map.of());
        String source = spec.map(Path::toString).orElse("registration spec");
        List<String> unknown = doc.keySet().stream().filter(k -> !KEYS.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(source + " has the unknown keys " + unknown + "; expected only " + KEYS.stream().sorted().toList());
        }
        Object v = doc.get("formatVersion");
        if (v != null && !(v instanceof Integer i && i == FORMAT_VERSION)) {
            throw new InvalidInputException(source + " has formatVersion " + v + " but this Ferry reads only formatVersion " + FORMAT_VERSION);
        }
        Provenance provenance = doc.get("provenance") == null ? Provenance.none()
                : RegistryJson.fromTree(doc.get("provenance"), Provenance.class, source + " (provenance)");
        Optional<ModelSignature> signature = doc.get("signature") == null ? Optional.empty()
                : Optional.of(RegistryJson.fromTree(doc.get("signature"), ModelSignature.class, source + " (signature)"));
        List<GoldenExample> golden = golden(doc.get("golden"), source);
        String msg = message != null ? message : doc.get("message") == null ? "" : doc.get("message").toString();
        return new RegisterRequest(name, artifact, f, signature, provenance, golden, createdBy, msg);
    }

    private static List<GoldenExample> golden(Object tree, String source) {
        if (tree == null) {
            return List.of();
        }
        if (!(tree instanceof List<?> list)) {
            throw new InvalidInputException(source + ": golden must be a list of {inputs, expected, tolerance} but is a "
                    + tree.getClass().getSimpleName());
        }
        List<Object> withDefaults = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> m && !m.containsKey("tolerance")) {
                Map<Object, Object> copy = new LinkedHashMap<>(m);
                copy.put("tolerance", GoldenExample.DEFAULT_TOLERANCE);
                withDefaults.add(copy);
            } else {
                withDefaults.add(o);
            }
        }
        return RegistryJson.goldenFromTree(withDefaults, source + " (golden)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            if (doc == null) {
                return Map.of();
            }
            if (!(doc instanceof Map<?, ?> m)) {
                throw new InvalidInputException(file + " must be a YAML or JSON mapping but is a " + doc.getClass().getSimpleName());
            }
            return (Map<String, Object>) m;
        } catch (YAMLException e) {
            throw new InvalidInputException(file + " is neither valid YAML nor JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
