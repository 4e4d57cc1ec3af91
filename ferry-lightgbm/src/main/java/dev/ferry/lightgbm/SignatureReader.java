package dev.ferry.lightgbm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.InvalidInputException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.ScalarType;
import dev.ferry.types.TensorSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@link ModelSignature} of a LightGBM model: its features in the model's order, one
 * packed float64 input, and the outputs its objective implies. A claimed signature (from the
 * registry) supplies names, types and categories once it agrees with the model.
 */
final class SignatureReader {

    static final String INPUT = "input";

    private SignatureReader() {
    }

    static ModelSignature read(String artifact, ModelText text, String[] featureNames, int featureCount,
                               List<TensorSpec> outputs, Optional<ModelSignature> claimed) {
        TensorSpec input = TensorSpec.of(INPUT, ScalarType.FLOAT64, -1, featureCount);
        if (claimed.isPresent()) {
            return checkClaimed(artifact, text, featureCount, input, outputs, claimed.get());
        }
        List<Field> features = new ArrayList<>(featureCount);
        Map<String, List<String>> categories = new LinkedHashMap<>();
        Map<Integer, List<JsonNode>> pandas = pandasByFeature(text);
        Set<Integer> categorical = new HashSet<>(text.categorical());
        for (int i = 0; i < featureCount; i++) {
            String name = featureNames[i];
            FeatureType type = FeatureType.FLOAT64;
            if (pandas.containsKey(i)) {
                List<JsonNode> values = pandas.get(i);
                type = categoryType(values);
                categories.put(name, categoryNames(values, type));
            } else if (categorical.contains(i)) {
                type = FeatureType.INT64; // LightGBM reads a categorical value as its integer code
            }
            try {
                features.add(Field.of(name, type));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("model " + artifact + ": feature " + i + " is named '" + name
                        + "', which is not a valid Ferry feature name; load it with a signature that names its features ("
                        + e.getMessage() + ")", e);
            }
        }
        return new ModelSignature(features, InputLayout.PACKED, List.of(input), outputs, categories);
    }

    /**
     * pandas_categorical holds one list per categorical column, in column order, i.e. in the
     * ascending order of the categorical feature indices. When the counts disagree (categorical
     * features named by hand next to pandas ones) the lists cannot be matched, and every
     * categorical feature stays integer-coded.
     */
    private static Map<Integer, List<JsonNode>> pandasByFeature(ModelText text) {
        Map<Integer, List<JsonNode>> out = new LinkedHashMap<>();
        if (text.pandasCategories().isEmpty() || text.pandasCategories().get().size() != text.categorical().size()) {
            return out;
        }
        List<List<JsonNode>> lists = text.pandasCategories().get();
        for (int k = 0; k < lists.size(); k++) {
            out.put(text.categorical().get(k), lists.get(k));
        }
        return out;
    }

    private static FeatureType categoryType(List<JsonNode> values) {
        if (!values.isEmpty() && values.stream().allMatch(JsonNode::isBoolean)) {
            return FeatureType.BOOL;
        }
        if (!values.isEmpty() && values.stream().allMatch(JsonNode::isIntegralNumber)) {
            return FeatureType.INT64;
        }
        if (!values.isEmpty() && values.stream().allMatch(JsonNode::isNumber)) {
            return FeatureType.FLOAT64;
        }
        return FeatureType.STRING;
    }

    /** Category names as {@code RowTensors} will look them up: the canonical Java value's text. */
    private static List<String> categoryNames(List<JsonNode> values, FeatureType type) {
        List<String> names = new ArrayList<>(values.size());
        for (JsonNode v : values) {
            names.add(switch (type.scalar()) {
                case BOOL -> Boolean.toString(v.booleanValue());
                case INT64 -> Long.toString(v.longValue());
                case FLOAT64 -> Double.toString(v.doubleValue());
                default -> v.asText();
            });
        }
        return names;
    }

    private static ModelSignature checkClaimed(String artifact, ModelText text, int featureCount, TensorSpec input,
                                               List<TensorSpec> outputs, ModelSignature claimed) {
        if (claimed.layout() != InputLayout.PACKED) {
            throw new ValidationFailedException("model " + artifact + ": the claimed signature has layout " + claimed.layout()
                    + " but a LightGBM model takes one PACKED input");
        }
        if (claimed.features().size() != featureCount) {
            throw new ValidationFailedException("model " + artifact + ": the claimed signature has " + claimed.features().size()
                    + " features " + claimed.featureNames() + " but the model has " + featureCount + " " + text.featureNames());
        }
        if (!claimed.inputs().equals(List.of(input))) {
            throw new ValidationFailedException("model " + artifact + ": the claimed signature's inputs are " + claimed.inputs()
                    + " but the model's are " + List.of(input));
        }
        if (!claimed.outputs().isEmpty() && !claimed.outputs().equals(outputs)) {
            throw new ValidationFailedException("model " + artifact + ": the claimed signature's outputs are " + claimed.outputs()
                    + " but the model gives " + outputs);
        }
        Set<Integer> categorical = new HashSet<>(text.categorical());
        List<String> names = claimed.featureNames();
        for (String name : claimed.categories().keySet()) {
            int index = names.indexOf(name);
            if (!categorical.contains(index)) {
                throw new ValidationFailedException("model " + artifact + ": the claimed signature gives categories for feature '"
                        + name + "' (position " + index + ") but the model splits on it as a number; categorical positions are "
                        + text.categorical());
            }
        }
        return new ModelSignature(claimed.features(), InputLayout.PACKED, List.of(input), outputs, claimed.categories());
    }
}
