package dev.ferry.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.types.Field;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an MLflow input example into rows keyed by Ferry feature name. Handles the pandas
 * {@code split} orient ({@code {"columns": [...], "data": [[...]]}}, also under
 * {@code dataframe_split}), the {@code records} orient, and tensor examples
 * ({@code {"inputs": [[...]]}} or {@code {"inputs": {"name": [[...]]}}}).
 */
final class MlflowExamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The key of a row given as a bare list of values when the MLflow model has no signature:
     * the values are the model's features in order (see {@code MlflowImporter.packedByPosition}).
     */
    static final String POSITIONAL = "_positional_";

    private MlflowExamples() {
    }

    static List<Map<String, Object>> read(Path dir, Map<String, Object> mlmodel, MlflowSignatures.Inputs inputs, Path mlmodelFile) {
        String fileName = "input_example.json";
        if (mlmodel.get("saved_input_example_info") instanceof Map<?, ?> info && info.get("artifact_path") != null) {
            fileName = info.get("artifact_path").toString();
        }
        Path file = dir.resolve(fileName).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return rows(root, inputs);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage(), e);
        }
    }

    static List<Map<String, Object>> rows(JsonNode root, MlflowSignatures.Inputs inputs) {
        if (root == null) {
            return List.of();
        }
        if (root.has("dataframe_split")) {
            return rows(root.get("dataframe_split"), inputs);
        }
        if (root.has("dataframe_records")) {
            return rows(root.get("dataframe_records"), inputs);
        }
        if (root.has("columns") && root.has("data")) {
            return split(root, inputs);
        }
        if (root.isArray() && (root.isEmpty() || root.get(0).isObject())) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (JsonNode rec : root) {
                Map<String, Object> row = new LinkedHashMap<>();
                rec.fields().forEachRemaining(e -> row.put(rename(e.getKey(), inputs), value(e.getValue())));
                out.add(row);
            }
            return out;
        }
        JsonNode tensors = root.has("inputs") ? root.get("inputs") : root.has("instances") ? root.get("instances") : root;
        return tensorRows(tensors, inputs);
    }

    private static List<Map<String, Object>> split(JsonNode root, MlflowSignatures.Inputs inputs) {
        List<String> columns = new ArrayList<>();
        for (JsonNode c : root.get("columns")) {
            columns.add(rename(c.asText(), inputs));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        int r = 0;
        for (JsonNode row : root.get("data")) {
            if (!row.isArray() || row.size() != columns.size()) {
                throw new InvalidInputException("data row " + r + " has " + row.size() + " values but there are " + columns.size()
                        + " columns " + columns);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i), value(row.get(i)));
            }
            out.add(m);
            r++;
        }
        return out;
    }

    /** Rows from a tensor example: one named input per key, or a single matrix of feature rows. */
    private static List<Map<String, Object>> tensorRows(JsonNode node, MlflowSignatures.Inputs inputs) {
        if (node.isObject()) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                int i = 0;
                for (JsonNode item : e.getValue()) {
                    while (out.size() <= i) {
                        out.add(new LinkedHashMap<>());
                    }
                    out.get(i++).put(e.getKey(), value(item));
                }
            }
            return out;
        }
        if (!node.isArray()) {
            throw new InvalidInputException("the input example must be a pandas split/records frame or a tensor example, but is " + node.getNodeType());
        }
        List<String> names = new ArrayList<>();
        for (Field f : inputs.columns()) {
            names.add(f.name());
        }
        if (names.isEmpty() && inputs.tensors().size() <= 1) {
            String key = inputs.tensors().isEmpty() ? POSITIONAL : inputs.tensors().get(0).name();
            List<Map<String, Object>> out = new ArrayList<>();
            for (JsonNode item : node) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(key, value(item));
                out.add(m);
            }
            return out;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode row : node) {
            if (!row.isArray() || row.size() != names.size()) {
                throw new InvalidInputException("an input example row has " + row.size() + " values but the signature has "
                        + names.size() + " columns " + names);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), value(row.get(i)));
            }
            out.add(m);
        }
        return out;
    }

    private static String rename(String column, MlflowSignatures.Inputs inputs) {
        for (Map.Entry<String, String> e : inputs.columnNames().entrySet()) {
            if (e.getValue().equals(column)) {
                return e.getKey();
            }
        }
        return MlflowImporter.fieldName(column, 0);
    }

    private static Object value(JsonNode v) {
        return JSON.convertValue(v, Object.class);
    }
}
