package dev.ferry.lightgbm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What Ferry reads from a LightGBM text model besides what the C API answers: the objective,
 * which features are categorical, and the pandas category lists the Python package appends
 * ({@code pandas_categorical:[[...], ...]}, one list per categorical column in column order).
 *
 * @param objective          the objective's name, e.g. {@code binary}, {@code multiclass}, {@code poisson}
 * @param featureNames       the {@code feature_names=} line, in the model's order
 * @param categorical        indices of categorical features, ascending
 * @param pandasCategories   the pandas category lists, when the model was trained from a DataFrame
 *                           with category columns (empty otherwise)
 */
record ModelText(String objective, List<String> featureNames, List<Integer> categorical,
                 Optional<List<List<JsonNode>>> pandasCategories) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ModelText parse(String text) {
        String objective = "";
        List<String> names = List.of();
        TreeSet<Integer> categorical = new TreeSet<>();
        Optional<List<List<JsonNode>>> pandas = Optional.empty();
        for (String line : (Iterable<String>) text.lines()::iterator) {
            if (line.startsWith("objective=")) {
                String value = line.substring("objective=".length()).trim();
                int space = value.indexOf(' ');
                objective = space < 0 ? value : value.substring(0, space);
            } else if (line.startsWith("feature_names=")) {
                names = List.of(line.substring("feature_names=".length()).trim().split(" "));
            } else if (line.startsWith("feature_infos=")) {
                String[] infos = line.substring("feature_infos=".length()).trim().split(" ");
                for (int i = 0; i < infos.length; i++) {
                    // Numerical features are written "[min:max]", unused ones "none", categorical
                    // ones as the colon-separated list of categories seen in training.
                    if (!infos[i].startsWith("[") && !infos[i].equals("none") && !infos[i].isEmpty()) {
                        categorical.add(i);
                    }
                }
            } else if (line.startsWith("[categorical_feature: ")) {
                addIndices(line.substring("[categorical_feature: ".length(), line.length() - 1), categorical);
            } else if (line.startsWith("pandas_categorical:")) {
                pandas = parsePandas(line.substring("pandas_categorical:".length()).trim());
            }
        }
        return new ModelText(objective, names, List.copyOf(categorical), pandas);
    }

    /** The parameter may hold indices ("1,2,7") or names ("name:a,b"); only indices are read here. */
    private static void addIndices(String value, TreeSet<Integer> out) {
        for (String part : value.split(",")) {
            String p = part.trim();
            if (!p.isEmpty() && p.chars().allMatch(Character::isDigit)) {
                out.add(Integer.parseInt(p));
            }
        }
    }

    private static Optional<List<List<JsonNode>>> parsePandas(String json) {
        if (json.isEmpty() || json.equals("null") || json.equals("[]")) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isArray()) {
                return Optional.empty();
            }
            List<List<JsonNode>> lists = new ArrayList<>();
            for (JsonNode column : root) {
                List<JsonNode> values = new ArrayList<>();
                column.forEach(values::add);
                lists.add(values);
            }
            return Optional.of(lists);
        } catch (java.io.IOException e) {
            throw new dev.ferry.InvalidInputException("the model's pandas_categorical line is not valid JSON: " + e.getMessage(), e);
        }
    }
}
