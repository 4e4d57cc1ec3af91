package dev.ferry.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.ScalarType;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code signature.inputs} of an MLmodel file: a JSON string holding either
 * column-based specs ({@code {"name": "age", "type": "long"}}) or tensor-based ones
 * ({@code {"name": "x", "type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}}).
 */
final class MlflowSignatures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MlflowSignatures() {
    }

    record Inputs(List<Field> columns, Map<String, String> columnNames, List<TensorSpec> tensors) {

        static final Inputs NONE = new Inputs(List.of(), Map.of(), List.of());
    }

    static Inputs inputs(Object signature, Path mlmodel) {
        if (!(signature instanceof Map<?, ?> sig) || sig.get("inputs") == null) {
            return Inputs.NONE;
        }
        JsonNode specs;
        try {
            specs = JSON.readTree(sig.get("inputs").toString());
        } catch (IOException e) {
            throw new InvalidInputException(mlmodel + ": signature.inputs is not a JSON list of input specs: " + e.getMessage(), e);
        }
        if (specs == null || !specs.isArray() || specs.isEmpty()) {
            throw new InvalidInputException(mlmodel + ": signature.inputs was " + specs + " but it must be a non-empty JSON list of input specs");
        }
        boolean tensor = "tensor".equals(specs.get(0).path("type").asText());
        List<Field> columns = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        List<TensorSpec> tensors = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode s = specs.get(i);
            if (tensor != "tensor".equals(s.path("type").asText())) {
                throw new InvalidInputException(mlmodel + ": signature.inputs mixes column and tensor specs; expected one kind");
            }
            if (tensor) {
                tensors.add(tensor(s, i, specs.size(), mlmodel));
            } else {
                String original = s.hasNonNull("name") ? s.get("name").asText() : null;
                String name = MlflowImporter.fieldName(original, i);
                if (names.put(name, original == null ? name : original) != null) {
                    throw new InvalidInputException(mlmodel + ": columns " + names.values() + " and '" + original
                            + "' become the same Ferry feature name '" + name + "'; rename one of them");
                }
                columns.add(MlflowImporter.field(name, FeatureType.of(columnType(s.path("type").asText(), original, mlmodel)),
                        s.path("required").asBoolean(true)));
            }
        }
        return new Inputs(columns, names, tensors);
    }

    private static ScalarType columnType(String type, String column, Path mlmodel) {
        return switch (type) {
            case "double" -> ScalarType.FLOAT64;
            case "float" -> ScalarType.FLOAT32;
            case "long" -> ScalarType.INT64;
            case "integer" -> ScalarType.INT32;
            case "boolean" -> ScalarType.BOOL;
            case "string" -> ScalarType.STRING;
            default -> throw new InvalidInputException(mlmodel + ": column '" + column + "' has MLflow type '" + type
                    + "' but Ferry imports only double, float, long, integer, boolean and string columns");
        };
    }

    private static TensorSpec tensor(JsonNode s, int i, int count, Path mlmodel) {
        JsonNode spec = s.path("tensor-spec");
        String dtype = spec.path("dtype").asText();
        ScalarType type = switch (dtype) {
            case "float32" -> ScalarType.FLOAT32;
            case "float64" -> ScalarType.FLOAT64;
            case "int32" -> ScalarType.INT32;
            case "int64" -> ScalarType.INT64;
            case "bool" -> ScalarType.BOOL;
            case "str", "object" -> ScalarType.STRING;
            default -> throw new InvalidInputException(mlmodel + ": input tensor " + i + " has dtype '" + dtype
                    + "' but Ferry imports only float32, float64, int32, int64, bool and str tensors");
        };
        JsonNode shapeNode = spec.path("shape");
        if (!shapeNode.isArray()) {
            throw new InvalidInputException(mlmodel + ": input tensor " + i + " has no tensor-spec.shape list");
        }
        long[] shape = new long[shapeNode.size()];
        for (int k = 0; k < shape.length; k++) {
            shape[k] = shapeNode.get(k).asLong();
        }
        String name = s.hasNonNull("name") ? s.get("name").asText() : count == 1 ? "input" : "input_" + i;
        return new TensorSpec(name, type, shape);
    }
}
