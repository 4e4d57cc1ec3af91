package dev.ferry.onnx;

import dev.ferry.ValidationFailedException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.Field;
import dev.ferry.types.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a claimed signature against what the artifact says, and reports every difference at
 * once. Dimensions are compatible when either side is dynamic (-1) or both are equal, so a claim
 * may be more specific than the artifact (e.g. fix the feature count the artifact leaves open).
 */
final class ClaimedSignature {

    private ClaimedSignature() {
    }

    /**
     * The signature to serve with: the claimed one when it agrees with the artifact (outputs
     * taken from the artifact if the claim lists none), else a {@link ValidationFailedException}
     * naming every difference.
     */
    static ModelSignature reconcile(String artifact, ModelSignature claimed, ArtifactSignature actual) {
        List<String> problems = new ArrayList<>();
        checkInputs(claimed, actual, problems);
        checkFeatures(claimed, actual, problems);
        List<TensorSpec> outputs = claimed.outputs().isEmpty() ? actual.outputSpecs() : claimed.outputs();
        if (!claimed.outputs().isEmpty()) {
            Map<String, TensorSpec> byName = index(actual.outputSpecs());
            for (TensorSpec c : claimed.outputs()) {
                TensorSpec a = byName.get(c.name());
                if (a == null) {
                    problems.add("output '" + c.name() + "' is claimed but the artifact's outputs are " + byName.keySet()
                            + (actual.skipped().containsKey(c.name()) ? " ('" + c.name() + "' is a " + actual.skipped().get(c.name()) + ", which Ferry cannot return)" : ""));
                } else {
                    compare("output", c, a, problems);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationFailedException("model '" + artifact + "' does not match its claimed signature: "
                    + String.join("; ", problems));
        }
        return new ModelSignature(claimed.features(), claimed.layout(), claimed.inputs(), outputs, claimed.categories());
    }

    private static void checkInputs(ModelSignature claimed, ArtifactSignature actual, List<String> problems) {
        Map<String, TensorSpec> artifactInputs = index(actual.inputs());
        Map<String, TensorSpec> claimedInputs = index(claimed.inputs());
        if (!artifactInputs.keySet().equals(claimedInputs.keySet())) {
            problems.add("input names differ: claimed " + claimedInputs.keySet() + " but the artifact has " + artifactInputs.keySet());
        }
        for (TensorSpec c : claimed.inputs()) {
            TensorSpec a = artifactInputs.get(c.name());
            if (a != null) {
                compare("input", c, a, problems);
            }
        }
    }

    private static void checkFeatures(ModelSignature claimed, ArtifactSignature actual, List<String> problems) {
        if (claimed.layout() == InputLayout.PACKED) {
            TensorSpec a = index(actual.inputs()).get(claimed.inputs().get(0).name());
            if (a != null && a.shape().length == 2 && a.shape()[1] >= 0 && a.shape()[1] != claimed.features().size()) {
                problems.add("feature count differs: claimed " + claimed.features().size() + " features but the artifact's input '"
                        + a.name() + "' has " + a.shape()[1] + " columns");
            }
            if (a != null && !a.type().isNumeric()) {
                problems.add("layout PACKED needs a numeric input but the artifact's input '" + a.name() + "' is " + a.type());
            }
            return;
        }
        Map<String, TensorSpec> artifactInputs = index(actual.inputs());
        for (Field f : claimed.features()) {
            if (!artifactInputs.containsKey(f.name())) {
                problems.add("feature '" + f.name() + "' has no artifact input of the same name (layout PER_FEATURE); inputs are "
                        + artifactInputs.keySet());
            }
        }
    }

    private static void compare(String what, TensorSpec claimed, TensorSpec actual, List<String> problems) {
        if (claimed.type() != actual.type()) {
            problems.add(what + " '" + claimed.name() + "' is claimed as " + claimed.type() + " but the artifact has " + actual.type());
        }
        long[] c = claimed.shape();
        long[] a = actual.shape();
        boolean compatible = c.length == a.length;
        for (int i = 0; compatible && i < c.length; i++) {
            compatible = c[i] < 0 || a[i] < 0 || c[i] == a[i];
        }
        if (!compatible) {
            problems.add(what + " '" + claimed.name() + "' is claimed with shape " + Arrays.toString(c)
                    + " but the artifact has " + Arrays.toString(a) + " (-1 is any size)");
        }
    }

    private static Map<String, TensorSpec> index(List<TensorSpec> specs) {
        return specs.stream().collect(Collectors.toMap(TensorSpec::name, Function.identity(), (x, y) -> x, LinkedHashMap::new));
    }
}
