package dev.ferry.model;

import dev.ferry.InvalidInputException;
import dev.ferry.types.Field;
import dev.ferry.types.Schema;
import dev.ferry.types.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model takes and returns: its named, typed features (what callers and the feature
 * store speak), how they become input tensors ({@link InputLayout}), the input and output
 * tensors, and for categorical features the ordered category list whose positions are the codes
 * the model was trained on.
 *
 * @param features   the model's features in the order the model expects them
 * @param layout     how features map onto {@code inputs}
 * @param inputs     the input tensors
 * @param outputs    the output tensors
 * @param categories categorical features: name to categories, position = code
 */
public record ModelSignature(List<Field> features, InputLayout layout, List<TensorSpec> inputs,
                             List<TensorSpec> outputs, Map<String, List<String>> categories) {

    public ModelSignature {
        features = List.copyOf(features);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        categories = Map.copyOf(categories);
        Schema.of(features); // names unique
        if (layout == InputLayout.PACKED) {
            if (inputs.size() != 1) {
                throw new InvalidInputException("a PACKED signature has exactly one input tensor but " + inputs.size() + " were given");
            }
            long[] shape = inputs.get(0).shape();
            if (shape.length != 2 || (shape[1] >= 0 && shape[1] != features.size())) {
                throw new InvalidInputException("the packed input '" + inputs.get(0).name() + "' must have shape [-1, "
                        + features.size() + "] for " + features.size() + " features but has " + java.util.Arrays.toString(shape));
            }
        }
        for (String c : categories.keySet()) {
            if (features.stream().noneMatch(f -> f.name().equals(c))) {
                throw new InvalidInputException("categorical feature '" + c + "' is not among the features");
            }
        }
    }

    public Schema schema() {
        return Schema.of(features);
    }

    public List<String> featureNames() {
        List<String> names = new ArrayList<>(features.size());
        for (Field f : features) {
            names.add(f.name());
        }
        return names;
    }

    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /**
     * Describes how {@code other} differs from this signature, or empty if they agree on
     * features (names, types, order), layout, tensors and categories. This is the claimed
     * signature: when it declares no outputs, the outputs are left to the runtime (a trainer
     * rarely knows the tensor names a runtime gives its objective) and are not compared.
     */
    public Optional<String> mismatch(ModelSignature other) {
        if (!features.equals(other.features)) {
            return Optional.of("features differ: " + features + " vs " + other.features);
        }
        if (layout != other.layout) {
            return Optional.of("layout differs: " + layout + " vs " + other.layout);
        }
        if (!inputs.equals(other.inputs)) {
            return Optional.of("inputs differ: " + inputs + " vs " + other.inputs);
        }
        if (!outputs.isEmpty() && !outputs.equals(other.outputs)) {
            return Optional.of("outputs differ: " + outputs + " vs " + other.outputs);
        }
        if (!categories.equals(other.categories)) {
            return Optional.of("categories differ: " + categories + " vs " + other.categories);
        }
        return Optional.empty();
    }
}
