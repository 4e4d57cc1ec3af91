package dev.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Open Inference Protocol tensors to and from {@link Tensor}: datatype names, shapes, and data
 * given flat or nested (row-major). Narrow OIP types widen to the nearest Ferry type (INT8 to
 * int32, UINT32 to int64, FP16 to float32); the model's signature then decides whether the
 * type fits.
 */
final class OipTensors {

    private OipTensors() {
    }

    static ScalarType datatype(String field, String datatype) {
        if (datatype == null) {
            throw new InvalidInputException(field + " is missing; expected one of BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FP16, FP32, FP64, BYTES");
        }
        return switch (datatype.toUpperCase(Locale.ROOT)) {
            case "BOOL" -> ScalarType.BOOL;
            case "INT8", "INT16", "INT32", "UINT8", "UINT16" -> ScalarType.INT32;
            case "INT64", "UINT32", "UINT64" -> ScalarType.INT64;
            case "FP16", "FP32" -> ScalarType.FLOAT32;
            case "FP64" -> ScalarType.FLOAT64;
            case "BYTES" -> ScalarType.STRING;
            default -> throw new InvalidInputException(field + " was '" + datatype
                    + "' but it must be one of BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FP16, FP32, FP64, BYTES");
        };
    }

    /** Decodes one element of a request's {@code inputs}; {@code field} is e.g. {@code inputs[0]}. */
    static Tensor decode(String field, JsonNode input, int maxElements) {
        if (!input.isObject()) {
            throw new InvalidInputException(field + " must be an object with name, datatype, shape and data");
        }
        JsonNode nameNode = input.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
            throw new InvalidInputException(field + ".name is missing or not a string");
        }
        String name = nameNode.asText();
        JsonNode dt = input.get("datatype");
        ScalarType type = datatype(field + ".datatype", dt == null || !dt.isTextual() ? null : dt.asText());
        long[] shape = shape(field + ".shape", input.get("shape"));
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
            if (count > maxElements) {
                throw new dev.ferry.CapacityException(field + ".shape " + java.util.Arrays.toString(shape) + " has more than "
                        + maxElements + " elements, the most one input may carry");
            }
        }
        JsonNode data = input.get("data");
        if (data == null || !data.isArray()) {
            throw new InvalidInputException(field + ".data is missing or not an array");
        }
        List<JsonNode> flat = new ArrayList<>();
        flatten(field + ".data", data, flat, maxElements);
        if (flat.size() != count) {
            throw new InvalidInputException(field + ".data has " + flat.size() + " elements but shape "
                    + java.util.Arrays.toString(shape) + " needs " + count);
        }
        return Tensor.of(name, type, shape, values(field + ".data", type, flat));
    }

    private static long[] shape(String field, JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new InvalidInputException(field + " is missing or not an array of non-negative integers");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new InvalidInputException(field + "[" + i + "] was " + d + " but it must be a non-negative integer");
            }
            shape[i] = d.asLong();
        }
        return shape;
    }

    private static void flatten(String field, JsonNode node, List<JsonNode> out, int max) {
        for (JsonNode e : node) {
            if (e.isArray()) {
                flatten(field, e, out, max);
            } else {
                out.add(e);
            }
            if (out.size() > max) {
                throw new dev.ferry.CapacityException(field + " has more than " + max + " elements, the most one input may carry");
            }
        }
    }

    private static Object values(String field, ScalarType type, List<JsonNode> flat) {
        int n = flat.size();
        switch (type) {
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    JsonNode e = flat.get(i);
                    if (!e.isBoolean()) {
                        throw wrong(field, i, e, "BOOL", "true or false");
                    }
                    a[i] = e.booleanValue();
                }
                return a;
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    JsonNode e = flat.get(i);
                    if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                        throw wrong(field, i, e, "INT32", "an integer within int32 range");
                    }
                    a[i] = e.intValue();
                }
                return a;
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    JsonNode e = flat.get(i);
                    if (!e.isIntegralNumber() || !e.canConvertToLong()) {
                        throw wrong(field, i, e, "INT64", "an integer within int64 range");
                    }
                    a[i] = e.longValue();
                }
                return a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) number(field, i, flat.get(i), "FP32");
                }
                return a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = number(field, i, flat.get(i), "FP64");
                }
                return a;
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    JsonNode e = flat.get(i);
                    if (!e.isTextual()) {
                        throw wrong(field, i, e, "BYTES", "a string");
                    }
                    a[i] = e.textValue();
                }
                return a;
            }
            default -> throw new IllegalStateException(type.name());
        }
    }

    private static double number(String field, int i, JsonNode e, String dt) {
        if (e.isNumber()) {
            return e.doubleValue();
        }
        if (e.isTextual()) {
            switch (e.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw wrong(field, i, e, dt, "a number");
    }

    private static InvalidInputException wrong(String field, int i, JsonNode e, String dt, String expected) {
        String shown = e.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return new InvalidInputException(field + "[" + i + "] was " + shown + " but datatype " + dt + " needs " + expected);
    }

    /** Encodes an output tensor with flat row-major data. */
    static ObjectNode encode(Tensor t) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", t.name());
        o.put("datatype", t.type().oipDatatype());
        ArrayNode shape = o.putArray("shape");
        for (long d : t.shape()) {
            shape.add(d);
        }
        ArrayNode data = o.putArray("data");
        for (int i = 0; i < t.size(); i++) {
            switch (t.type()) {
                case BOOL -> data.add(t.bools()[i]);
                case INT32 -> data.add(t.ints()[i]);
                case INT64 -> data.add(t.longs()[i]);
                case FLOAT32 -> data.add(t.floats()[i]);
                case FLOAT64 -> data.add(t.doubles()[i]);
                case STRING -> data.add(t.strings()[i]);
            }
        }
        return o;
    }
}
