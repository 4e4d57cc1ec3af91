package dev.ferry.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.ferry.CapacityException;
import dev.ferry.InvalidInputException;
import dev.ferry.serving.PredictRequest;
import dev.ferry.serving.Prediction;
import dev.ferry.serving.PredictionRecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of {@code /v1/predict}, read and written with Jackson's streaming API: the predict
 * path is the hottest in the server, and building a {@code JsonNode} tree of every request and
 * answer only to walk it once cost as much CPU as the feature read. The rules and messages are
 * those of {@link JsonValues}: unknown fields refused, every error names its field, values become
 * the loose Java values {@code FeatureType.coerce} checks (int, long, BigInteger, double, String,
 * Boolean, List, Map). Problems are reported in the order the tree-based reader reported them:
 * unknown fields first, then each field in turn.
 */
final class PredictJson {

    static final List<String> REQUEST_FIELDS = List.of("request_id", "entity", "features");
    private static final List<String> BATCH_FIELDS = List.of("requests");

    private PredictJson() {
    }

    /**
     * Reads a body that is either one request or a batch under {@code requests}; at most
     * {@code maxBatch} requests. The batch is a list of one for a single request, and
     * {@link Body#batch} tells which form was sent.
     */
    static Body read(byte[] bytes, int maxBatch) {
        try (JsonParser p = Http.JSON.getFactory().createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidInputException("request body must be a JSON object");
            }
            Fields top = Fields.read(p);
            if (p.nextToken() != null) {
                throw new InvalidInputException("request body is not valid JSON: more content after the JSON object at "
                        + p.currentLocation().offsetDescription());
            }
            if (top.has("requests")) {
                top.allowOnly("", BATCH_FIELDS);
                Object list = top.get("requests");
                if (!(list instanceof Items items)) {
                    throw new InvalidInputException("field 'requests' must be an array but was " + kind(list));
                }
                if (items.size() > maxBatch) {
                    throw new CapacityException("field 'requests' has " + items.size() + " entries but at most " + maxBatch + " are allowed");
                }
                if (items.isEmpty()) {
                    throw new InvalidInputException("field 'requests' is empty but a batch needs at least one request");
                }
                List<PredictRequest> batch = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    String field = "requests[" + i + "]";
                    if (!(items.get(i) instanceof Fields f)) {
                        throw new InvalidInputException("field '" + field + "' must be an object but was " + kind(items.get(i)));
                    }
                    batch.add(f.request(field));
                }
                return new Body(batch, true);
            }
            return new Body(List.of(top.request("")), false);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidInputException("request body is not valid JSON: " + msg);
        }
    }

    /** The requests of a body, and whether they came as a batch. */
    record Body(List<PredictRequest> requests, boolean batch) {
    }

    /** One answer, as {@code PredictRoutes} has always written it. */
    static void write(JsonGenerator g, Prediction p) throws IOException {
        g.writeStartObject();
        g.writeStringField("request_id", p.requestId());
        g.writeStringField("deployment", p.deployment());
        g.writeStringField("arm", p.arm());
        g.writeStringField("model", p.model());
        g.writeNumberField("version", p.version());
        g.writeFieldName("output");
        g.writeStartObject();
        for (Map.Entry<String, Object> e : p.output().values().entrySet()) {
            g.writeFieldName(e.getKey());
            PredictionRecordJson.writeValue(g, e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("source", p.source().name().toLowerCase(Locale.ROOT));
        g.writeBooleanField("degraded", p.degraded());
        g.writeEndObject();
    }

    /** The answer to a single request, or {@code {"predictions": [...]}} for a batch. */
    static byte[] answer(List<Prediction> predictions, boolean batch) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = Http.JSON.getFactory().createGenerator(out)) {
            if (batch) {
                g.writeStartObject();
                g.writeFieldName("predictions");
                g.writeStartArray();
                for (Prediction p : predictions) {
                    write(g, p);
                }
                g.writeEndArray();
                g.writeEndObject();
            } else {
                write(g, predictions.get(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case Fields f -> "object";
            case Items i -> "array";
            case String s -> "string";
            case Boolean b -> "boolean";
            case Number n -> "number";
            default -> v.getClass().getSimpleName();
        };
    }

    /** A JSON array as read: its elements, objects kept as {@link Fields} until one is needed as a map. */
    private static final class Items extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }

    /** A JSON object as read, in field order; a repeated field keeps its last value, as a tree would. */
    private static final class Fields extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;

        static Fields read(JsonParser p) throws IOException {
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                f.put(name, value(p));
            }
            return f;
        }

        private static Object value(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == null) {
                throw new IOException("unexpected end of input");
            }
            return switch (t) {
                case START_OBJECT -> read(p);
                case START_ARRAY -> {
                    Items items = new Items();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(value(p));
                    }
                    yield items;
                }
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                    case INT -> p.getIntValue();
                    case LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue();
                };
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                default -> throw new IOException("unexpected token " + t);
            };
        }

        void allowOnly(String field, List<String> allowed) {
            List<String> unknown = new ArrayList<>();
            for (String f : keySet()) {
                if (!allowed.contains(f)) {
                    unknown.add(f);
                }
            }
            if (!unknown.isEmpty()) {
                throw new InvalidInputException((field.isEmpty() ? "" : field + ": ") + "unknown field(s) " + unknown
                        + "; allowed: " + allowed);
            }
        }

        boolean has(String name) {
            return containsKey(name);
        }

        PredictRequest request(String field) {
            allowOnly(field, REQUEST_FIELDS);
            return new PredictRequest(optText(field, "request_id"), map(field, "entity"), map(field, "features"));
        }

        private Optional<String> optText(String field, String name) {
            Object v = get(name);
            if (v == null) {
                return Optional.empty();
            }
            if (v instanceof String s) {
                return Optional.of(s);
            }
            if (v instanceof Number n) {
                return Optional.of(n.toString());
            }
            throw new InvalidInputException("field '" + JsonValues.path(field, name) + "' must be a string but was " + kind(v));
        }

        private Map<String, Object> map(String field, String name) {
            Object v = get(name);
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof Fields f)) {
                throw new InvalidInputException("field '" + JsonValues.path(field, name) + "' must be an object but was " + kind(v));
            }
            return f.toJava();
        }

        /** The loose Java form: nested objects as LinkedHashMap, arrays as ArrayList. */
        private Map<String, Object> toJava() {
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, size() * 2));
            forEach((k, v) -> out.put(k, java(v)));
            return out;
        }

        private static Object java(Object v) {
            if (v instanceof Fields f) {
                return f.toJava();
            }
            if (v instanceof Items items) {
                List<Object> out = new ArrayList<>(items.size());
                items.forEach(x -> out.add(java(x)));
                return out;
            }
            return v;
        }
    }
}
