package dev.ferry.types;

import dev.ferry.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The element types Ferry knows, shared by features, tensors and stored values. The names are
 * the ones written in YAML, JSON and CLI arguments ({@code int64}, {@code float32}, ...).
 */
public enum ScalarType {
    BOOL("bool", "BOOL"),
    INT32("int32", "INT32"),
    INT64("int64", "INT64"),
    FLOAT32("float32", "FP32"),
    FLOAT64("float64", "FP64"),
    STRING("string", "BYTES");

    private final String id;
    private final String oipDatatype;

    ScalarType(String id, String oipDatatype) {
        this.id = id;
        this.oipDatatype = oipDatatype;
    }

    /** The lower-case name used in files and on the wire, e.g. {@code float32}. */
    public String id() {
        return id;
    }

    /** The datatype name of the Open Inference Protocol (FP32, INT64, BYTES, ...). */
    public String oipDatatype() {
        return oipDatatype;
    }

    public boolean isNumeric() {
        return this != STRING && this != BOOL;
    }

    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Parses {@code int64}, {@code INT64} or an OIP datatype such as {@code FP32}. */
    public static ScalarType parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (ScalarType s : values()) {
                if (s.id.equals(t) || s.oipDatatype.toLowerCase(Locale.ROOT).equals(t)) {
                    return s;
                }
            }
            switch (t) {
                case "boolean": return BOOL;
                case "int", "integer": return INT32;
                case "long": return INT64;
                case "float": return FLOAT32;
                case "double": return FLOAT64;
                case "str", "bytes": return STRING;
                default: break;
            }
        }
        throw new InvalidInputException("type was '" + text + "' but it must be one of "
                + Arrays.stream(values()).map(ScalarType::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
