package dev.ferry.xgboost;

import dev.ferry.InvalidInputException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.ScalarType;
import dev.ferry.types.TensorSpec;
import dev.ferry.xgboost.ModelDescription.FeatureCategories;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link ModelSignature} of an XGBoost model: one packed float32 input, features
 * named and typed from the model (or from a claimed signature, checked against the model), and
 * the outputs chosen by {@link Outputs}.
 */
final class Signatures {

    static final String INPUT = "input";

    private Signatures() {
    }

    static TensorSpec input(int features) {
        return TensorSpec.of(INPUT, ScalarType.FLOAT32, -1, features);
    }

    /** The signature read from the model alone. */
    static ModelSignature fromModel(ModelDescription d, List<TensorSpec> outputs, String source) {
        List<Field> features = new ArrayList<>(d.numFeature());
        Map<String, List<String>> categories = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < d.numFeature(); i++) {
            String name = uniqueName(i < d.featureNames().size() ? d.featureNames().get(i) : "f" + i, i, used);
            FeatureCategories cats = d.categories().get(i);
            features.add(Field.of(name, featureType(d, i, cats, source)));
            if (cats != null) {
                categories.put(name, cats.values());
            }
        }
        return new ModelSignature(features, InputLayout.PACKED, List.of(input(d.numFeature())), outputs, categories);
    }

    /**
     * The claimed signature's features, types and categories on this model's input and outputs,
     * after checking that it fits: the same feature count, one packed input, the same outputs (if
     * it names any) and no category list that differs from one the model stores. Category lists
     * the claim leaves out are taken from the model.
     */
    static ModelSignature fromClaim(ModelSignature claimed, ModelDescription d, List<TensorSpec> outputs, String source) {
        if (claimed.features().size() != d.numFeature()) {
            throw new ValidationFailedException("the claimed signature has " + claimed.features().size()
                    + " features but the model '" + source + "' has " + d.numFeature() + " (learner_model_param.num_feature)");
        }
        TensorSpec input = input(d.numFeature());
        if (claimed.layout() != InputLayout.PACKED || !claimed.inputs().equals(List.of(input))) {
            throw new ValidationFailedException("the claimed signature has layout " + claimed.layout() + " and inputs "
                    + claimed.inputs() + " but an XGBoost model takes layout PACKED with the single input " + input);
        }
        if (!claimed.outputs().isEmpty() && !claimed.outputs().equals(outputs)) {
            throw new ValidationFailedException("the claimed signature has outputs " + claimed.outputs()
                    + " but the model '" + source + "' (objective " + d.objective() + ") gives " + outputs);
        }
        Map<String, List<String>> categories = new LinkedHashMap<>(claimed.categories());
        for (int i = 0; i < d.numFeature(); i++) {
            Field f = claimed.features().get(i);
            FeatureCategories stored = d.categories().get(i);
            List<String> claimedCats = claimed.categories().get(f.name());
            if (stored != null) {
                if (claimedCats == null) {
                    categories.put(f.name(), stored.values());
                } else if (!claimedCats.equals(stored.values())) {
                    throw new ValidationFailedException("the claimed signature gives feature '" + f.name() + "' (index " + i
                            + ") the categories " + claimedCats + " but the model '" + source + "' was trained on " + stored.values());
                }
            }
            if (f.type().isVector()) {
                throw new ValidationFailedException("the claimed signature gives feature '" + f.name() + "' the type " + f.type()
                        + " but an XGBoost feature is a scalar");
            }
            if (f.type().scalar() == ScalarType.STRING && !categories.containsKey(f.name())) {
                throw new ValidationFailedException("the claimed signature gives feature '" + f.name()
                        + "' the type string but no categories, so it cannot be encoded for the model '" + source + "'");
            }
        }
        return new ModelSignature(claimed.features(), InputLayout.PACKED, List.of(input), outputs, categories);
    }

    /**
     * XGBoost's feature types: {@code float}/{@code q} (quantitative) are float32, {@code int}
     * int64, {@code i} (indicator) bool, {@code c} categorical: string when the model stores
     * string categories, int64 for integer categories or when it stores none (then the caller
     * passes the codes).
     */
    private static FeatureType featureType(ModelDescription d, int i, FeatureCategories cats, String source) {
        String t = i < d.featureTypes().size() ? d.featureTypes().get(i) : "float";
        return switch (t) {
            case "float", "q" -> FeatureType.FLOAT32;
            case "int" -> FeatureType.INT64;
            case "i" -> FeatureType.BOOL;
            case "c" -> cats == null ? FeatureType.INT64
                    : cats.strings() ? FeatureType.STRING
                    : cats.values().stream().allMatch(Signatures::isInteger) ? FeatureType.INT64 : FeatureType.FLOAT32;
            default -> throw new InvalidInputException("model file '" + source + "': feature_types[" + i + "] was '" + t
                    + "' but XGBoost knows only float, q, int, i and c");
        };
    }

    private static boolean isInteger(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Ferry field names are identifiers ({@code [A-Za-z_][A-Za-z0-9_.:-]*}); XGBoost allows any
     * text, so other characters become {@code _}. A claimed signature can give other names.
     */
    static String uniqueName(String raw, int index, Set<String> used) {
        StringBuilder b = new StringBuilder(raw.length() + 1);
        for (int k = 0; k < raw.length(); k++) {
            char c = raw.charAt(k);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'
                    || (k > 0 && ((c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-'));
            if (!ok && k == 0 && ((c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-')) {
                b.append('_').append(c);
            } else {
                b.append(ok ? c : '_');
            }
        }
        String name = b.isEmpty() ? "f" + index : b.toString();
        if (!used.add(name)) {
            name = name + "_" + index;
            used.add(name);
        }
        return name;
    }
}
