package dev.ferry.xgboost;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.xgboost.ModelDescription.FeatureCategories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link ModelDescription} from an XGBoost model in JSON. It streams the document and
 * skips the trees, so a model of hundreds of megabytes is not materialised as a JSON tree.
 */
final class ModelJsonReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String source;
    private final List<String> featureNames = new ArrayList<>();
    private final List<String> featureTypes = new ArrayList<>();
    private final Map<Integer, FeatureCategories> categories = new HashMap<>();
    private JsonNode modelParam = MAPPER.createObjectNode();
    private String objective = "";
    private String booster = "";
    private String version = "";

    private ModelJsonReader(String source) {
        this.source = source;
    }

    /** Parses {@code json}; {@code source} names the artifact in error messages. */
    static ModelDescription read(byte[] json, String source) {
        ModelJsonReader reader = new ModelJsonReader(source);
        try (JsonParser p = MAPPER.createParser(json)) {
            reader.readRoot(p);
        } catch (IOException e) {
            throw new InvalidInputException("model file '" + source + "' is not valid XGBoost JSON: " + e.getMessage(), e);
        }
        return reader.description();
    }

    private void readRoot(JsonParser p) throws IOException {
        expect(p.nextToken(), JsonToken.START_OBJECT, "the document");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "learner" -> readLearner(p);
                case "version" -> version = versionText(tree(p));
                default -> p.skipChildren();
            }
        }
    }

    private void readLearner(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "learner");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "feature_names" -> texts(tree(p), featureNames);
                case "feature_types" -> texts(tree(p), featureTypes);
                case "learner_model_param" -> modelParam = tree(p);
                case "objective" -> objective = tree(p).path("name").asText("");
                case "gradient_booster" -> readBooster(p, true);
                default -> p.skipChildren();
            }
        }
    }

    /** A gbtree or gblinear booster; dart wraps a gbtree under the field {@code gbtree}. */
    private void readBooster(JsonParser p, boolean outermost) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "gradient_booster");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> {
                    if (outermost) {
                        booster = p.getText();
                    }
                }
                case "gbtree" -> readBooster(p, false);
                case "model" -> readTreeModel(p);
                default -> p.skipChildren();
            }
        }
    }

    private void readTreeModel(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("cats")) {
                readCategories(tree(p));
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * {@code cats.enc} holds one entry per feature: {@code {offsets, values}} for string
     * categories (values are the UTF-8 bytes, offsets the string boundaries), or
     * {@code {type, values}} for numeric ones. An entry without categories is empty.
     */
    private void readCategories(JsonNode cats) {
        JsonNode enc = cats.path("enc");
        for (int i = 0; i < enc.size(); i++) {
            JsonNode entry = enc.get(i);
            JsonNode values = entry.path("values");
            if (values.isEmpty()) {
                continue;
            }
            if (entry.has("offsets")) {
                categories.put(i, new FeatureCategories(strings(entry.get("offsets"), values, i), true));
            } else {
                List<String> out = new ArrayList<>(values.size());
                for (JsonNode v : values) {
                    out.add(v.isIntegralNumber() ? Long.toString(v.asLong()) : Float.toString((float) v.asDouble()));
                }
                categories.put(i, new FeatureCategories(out, false));
            }
        }
    }

    private List<String> strings(JsonNode offsets, JsonNode values, int feature) {
        byte[] bytes = new byte[values.size()];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) values.get(k).asInt(); // stored as int8: UTF-8 bytes above 127 come back negative
        }
        List<String> out = new ArrayList<>(Math.max(0, offsets.size() - 1));
        for (int k = 0; k + 1 < offsets.size(); k++) {
            int from = offsets.get(k).asInt();
            int to = offsets.get(k + 1).asInt();
            if (from < 0 || to < from || to > bytes.length) {
                throw new InvalidInputException("model file '" + source + "': categories of feature " + feature
                        + " have offsets " + from + ".." + to + " but only " + bytes.length + " bytes of names");
            }
            out.add(new String(bytes, from, to - from, StandardCharsets.UTF_8));
        }
        return out;
    }

    private ModelDescription description() {
        int numFeature = intParam("num_feature", -1);
        if (numFeature < 0) {
            throw new InvalidInputException("model file '" + source
                    + "' has no learner.learner_model_param.num_feature: it is not an XGBoost model");
        }
        return new ModelDescription(featureNames, featureTypes, numFeature, intParam("num_class", 0),
                intParam("num_target", 1), objective, booster, categories, version);
    }

    private int intParam(String name, int absent) {
        JsonNode v = modelParam.get(name);
        if (v == null) {
            return absent;
        }
        try {
            return Integer.parseInt(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("model file '" + source + "': learner_model_param." + name + " was '"
                    + v.asText() + "' but an integer was expected");
        }
    }

    private void expect(JsonToken found, JsonToken expected, String what) {
        if (found != expected) {
            throw new InvalidInputException("model file '" + source + "': " + what + " was " + found
                    + " but an object was expected; it is not an XGBoost JSON model");
        }
    }

    private static JsonNode tree(JsonParser p) throws IOException {
        return MAPPER.readTree(p);
    }

    private static void texts(JsonNode array, List<String> out) {
        for (JsonNode n : array) {
            out.add(n.asText());
        }
    }

    private static String versionText(JsonNode v) {
        List<String> parts = new ArrayList<>();
        v.forEach(n -> parts.add(n.asText()));
        return String.join(".", parts);
    }
}
