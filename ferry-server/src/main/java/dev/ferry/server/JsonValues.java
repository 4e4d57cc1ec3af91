package dev.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads request fields strictly: the field path is named in every error, unknown fields are
 * refused, and JSON values become the loose Java values {@code FeatureType.coerce} checks.
 */
final class JsonValues {

    private JsonValues() {
    }

    static Object toJava(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isInt()) {
            return n.intValue();
        }
        if (n.isLong()) {
            return n.longValue();
        }
        if (n.isBigInteger()) {
            return n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            n.forEach(e -> out.add(toJava(e)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), toJava(e.getValue())));
        return out;
    }

    static void allowOnly(String field, JsonNode obj, String... names) {
        List<String> allowed = List.of(names);
        List<String> unknown = new ArrayList<>();
        obj.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidInputException((field.isEmpty() ? "" : field + ": ") + "unknown field(s) " + unknown + "; allowed: " + allowed);
        }
    }

    /** An optional object of scalar values (entity keys or features). */
    static Map<String, Object> map(String field, JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new InvalidInputException("field '" + path(field, name) + "' must be an object but was " + kind(n));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), toJava(e.getValue())));
        return out;
    }

    static Optional<String> optText(String field, JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new InvalidInputException("field '" + path(field, name) + "' must be a string but was " + kind(n));
        }
        return Optional.of(n.asText());
    }

    static String text(String field, JsonNode obj, String name) {
        return optText(field, obj, name).orElseThrow(() ->
                new InvalidInputException("field '" + path(field, name) + "' is missing but required"));
    }

    static Optional<Double> optNumber(String field, JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isNumber()) {
            throw new InvalidInputException("field '" + path(field, name) + "' must be a number but was " + kind(n));
        }
        return Optional.of(n.doubleValue());
    }

    static double number(String field, JsonNode obj, String name) {
        return optNumber(field, obj, name).orElseThrow(() ->
                new InvalidInputException("field '" + path(field, name) + "' is missing but required"));
    }

    static int integer(String field, JsonNode obj, String name, int dflt) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidInputException("field '" + path(field, name) + "' must be an integer but was " + n);
        }
        return n.intValue();
    }

    static JsonNode array(String field, JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || !n.isArray()) {
            throw new InvalidInputException("field '" + path(field, name) + "' must be an array but was " + kind(n));
        }
        return n;
    }

    static JsonNode object(String field, JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new InvalidInputException("field '" + field + "' must be an object but was " + kind(n));
        }
        return n;
    }

    static String path(String field, String name) {
        return field.isEmpty() ? name : field + "." + name;
    }

    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
