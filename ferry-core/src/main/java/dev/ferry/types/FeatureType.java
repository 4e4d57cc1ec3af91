package dev.ferry.types;

import dev.ferry.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The type of one feature or column: a scalar, or a fixed-length numeric vector
 * ({@code float32[8]}). {@link #coerce} is the single place where a loosely typed value (from
 * JSON, a map, a Kafka message) becomes the canonical Java value for this type, or is refused.
 *
 * <p>Canonical values: {@code Boolean}, {@code Integer}, {@code Long}, {@code Float},
 * {@code Double}, {@code String}; vectors are {@code int[]}, {@code long[]}, {@code float[]},
 * {@code double[]}. Integers widen to floats (JSON writes {@code 3} for 3.0), but a fractional
 * or floating value never becomes an integer: a model trained on integers must not silently get
 * floats.
 */
public record FeatureType(ScalarType scalar, int length) {

    public static final FeatureType BOOL = new FeatureType(ScalarType.BOOL, 0);
    public static final FeatureType INT32 = new FeatureType(ScalarType.INT32, 0);
    public static final FeatureType INT64 = new FeatureType(ScalarType.INT64, 0);
    public static final FeatureType FLOAT32 = new FeatureType(ScalarType.FLOAT32, 0);
    public static final FeatureType FLOAT64 = new FeatureType(ScalarType.FLOAT64, 0);
    public static final FeatureType STRING = new FeatureType(ScalarType.STRING, 0);

    public FeatureType {
        if (scalar == null) {
            throw new InvalidInputException("feature type scalar was null but it must be one of bool, int32, int64, float32, float64, string");
        }
        if (length < 0) {
            throw new InvalidInputException("vector length was " + length + " but it must be positive");
        }
        if (length > 0 && !scalar.isNumeric()) {
            throw new InvalidInputException("vector type was " + scalar + "[" + length + "] but vectors must be numeric (int32, int64, float32, float64)");
        }
    }

    // One instance per scalar: of() is called per value on the serving path.
    private static final FeatureType[] SCALARS = java.util.Arrays.stream(ScalarType.values())
            .map(t -> new FeatureType(t, 0)).toArray(FeatureType[]::new);

    public static FeatureType of(ScalarType scalar) {
        if (scalar == null) {
            return new FeatureType(null, 0); // refused by the constructor, with its message
        }
        return SCALARS[scalar.ordinal()];
    }

    public static FeatureType vector(ScalarType scalar, int length) {
        if (length <= 0) {
            throw new InvalidInputException("vector length was " + length + " but it must be positive");
        }
        return new FeatureType(scalar, length);
    }

    /** Parses {@code float32}, {@code int64} or {@code float32[8]}. */
    public static FeatureType parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("type was '" + text + "' but it must be a type such as int64, float32 or float32[8]");
        }
        String t = text.trim();
        int open = t.indexOf('[');
        if (open < 0) {
            return of(ScalarType.parse(t));
        }
        if (!t.endsWith("]")) {
            throw new InvalidInputException("type was '" + text + "' but a vector type must look like float32[8]");
        }
        int len;
        try {
            len = Integer.parseInt(t.substring(open + 1, t.length() - 1).trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("type was '" + text + "' but a vector type must look like float32[8]");
        }
        return vector(ScalarType.parse(t.substring(0, open)), len);
    }

    public boolean isVector() {
        return length > 0;
    }

    @Override
    public String toString() {
        return length == 0 ? scalar.id() : scalar.id() + "[" + length + "]";
    }

    /**
     * Returns the canonical Java value of {@code value} for this type, or throws an
     * {@link InvalidInputException} naming {@code field}, the value, the type found and this type.
     * A null value is returned as null; nullability is the caller's rule ({@link Field}).
     */
    public Object coerce(String field, Object value) {
        if (value == null) {
            return null;
        }
        return isVector() ? coerceVector(field, value) : coerceScalar(field, scalar, value);
    }

    /** Parses a value written as text (CSV cells, query parameters, CLI arguments). */
    public Object parseText(String field, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (isVector()) {
            String t = text.trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            String[] parts = t.isBlank() ? new String[0] : t.split("[,;\\s]+");
            Object[] values = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = parseScalarText(field, parts[i]);
            }
            return coerceVector(field, values);
        }
        return coerceScalar(field, scalar, parseScalarText(field, text));
    }

    private Object parseScalarText(String field, String text) {
        String t = text.trim();
        try {
            return switch (scalar) {
                case BOOL -> switch (t.toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "t", "1", "yes" -> Boolean.TRUE;
                    case "false", "f", "0", "no" -> Boolean.FALSE;
                    default -> throw mismatch(field, text, "string", this);
                };
                case INT32, INT64 -> new BigInteger(t);
                case FLOAT32, FLOAT64 -> switch (t.toLowerCase(java.util.Locale.ROOT)) {
                    case "nan", "na" -> Double.NaN;
                    case "inf", "infinity", "+inf" -> Double.POSITIVE_INFINITY;
                    case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(t);
                };
                case STRING -> text;
            };
        } catch (NumberFormatException e) {
            throw mismatch(field, text, "string", this);
        }
    }

    private Object coerceVector(String field, Object value) {
        int n;
        Object[] boxed = null;
        if (value instanceof List<?> list) {
            boxed = list.toArray();
            n = boxed.length;
        } else if (value instanceof Object[] arr) {
            boxed = arr;
            n = arr.length;
        } else if (value instanceof float[] a) {
            n = a.length;
        } else if (value instanceof double[] a) {
            n = a.length;
        } else if (value instanceof int[] a) {
            n = a.length;
        } else if (value instanceof long[] a) {
            n = a.length;
        } else {
            throw mismatch(field, value, typeName(value), this);
        }
        if (n != length) {
            throw new InvalidInputException("feature '" + field + "' had " + n + " elements but type " + this
                    + " expects exactly " + length);
        }
        if (boxed == null) {
            boxed = new Object[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = java.lang.reflect.Array.get(value, i);
            }
        }
        switch (scalar) {
            case FLOAT32 -> {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (Float) coerceElement(field, i, boxed[i]);
                }
                return out;
            }
            case FLOAT64 -> {
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (Double) coerceElement(field, i, boxed[i]);
                }
                return out;
            }
            case INT32 -> {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (Integer) coerceElement(field, i, boxed[i]);
                }
                return out;
            }
            case INT64 -> {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (Long) coerceElement(field, i, boxed[i]);
                }
                return out;
            }
            default -> throw new IllegalStateException("non-numeric vector " + this);
        }
    }

    private Object coerceElement(String field, int index, Object element) {
        if (element == null) {
            throw new InvalidInputException("feature '" + field + "' element " + index + " was null but type " + this
                    + " has no missing elements");
        }
        return coerceScalar(field + "[" + index + "]", scalar, element);
    }

    private static Object coerceScalar(String field, ScalarType target, Object value) {
        FeatureType expected = FeatureType.of(target);
        switch (target) {
            case BOOL -> {
                if (value instanceof Boolean b) {
                    return b;
                }
                throw mismatch(field, value, typeName(value), expected);
            }
            case STRING -> {
                if (value instanceof String s) {
                    return s;
                }
                if (value instanceof CharSequence cs) {
                    return cs.toString();
                }
                throw mismatch(field, value, typeName(value), expected);
            }
            case INT32, INT64 -> {
                // the common cases without a BigInteger: a Long or Integer always fits int64, an Integer int32
                if (value instanceof Long l && target == ScalarType.INT64) {
                    return l;
                }
                if (value instanceof Integer i) {
                    return target == ScalarType.INT64 ? (Object) i.longValue() : (Object) i;
                }
                BigInteger big = integral(value);
                if (big == null) {
                    throw mismatch(field, value, typeName(value), expected);
                }
                if (target == ScalarType.INT32) {
                    if (big.bitLength() > 31) {
                        throw new InvalidInputException("feature '" + field + "' was " + value
                                + " but it is out of range for int32 (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ")");
                    }
                    return big.intValue();
                }
                if (big.bitLength() > 63) {
                    throw new InvalidInputException("feature '" + field + "' was " + value + " but it is out of range for int64");
                }
                return big.longValue();
            }
            case FLOAT32, FLOAT64 -> {
                // already canonical: returned as is, not boxed again
                if ((value instanceof Double && target == ScalarType.FLOAT64) || (value instanceof Float && target == ScalarType.FLOAT32)) {
                    return value;
                }
                if (!(value instanceof Number n) || value instanceof java.util.concurrent.atomic.AtomicLong) {
                    throw mismatch(field, value, typeName(value), expected);
                }
                double d = n.doubleValue();
                return target == ScalarType.FLOAT32 ? (Object) (float) d : (Object) d;
            }
            default -> throw new IllegalStateException(target.name());
        }
    }

    /** Integer-typed numbers only: a Double, even 30.0, is not an integer value. */
    private static BigInteger integral(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return b;
        }
        if (value instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0 && d.scale() <= 0) {
            return d.toBigIntegerExact();
        }
        return null;
    }

    static InvalidInputException mismatch(String field, Object value, String found, FeatureType expected) {
        return new InvalidInputException("feature '" + field + "' was " + render(value) + " of type " + found
                + " but the expected type is " + expected);
    }

    private static String render(Object value) {
        if (value instanceof String s) {
            return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
        }
        String text = String.valueOf(value);
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    /** The Ferry type name of a Java value, for error messages. */
    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return "int32";
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return "int64";
        }
        if (value instanceof Float) {
            return "float32";
        }
        if (value instanceof Double || value instanceof BigDecimal) {
            return "float64";
        }
        if (value instanceof CharSequence) {
            return "string";
        }
        if (value instanceof float[] a) {
            return "float32[" + a.length + "]";
        }
        if (value instanceof double[] a) {
            return "float64[" + a.length + "]";
        }
        if (value instanceof int[] a) {
            return "int32[" + a.length + "]";
        }
        if (value instanceof long[] a) {
            return "int64[" + a.length + "]";
        }
        if (value instanceof List<?> l) {
            return "list[" + l.size() + "]";
        }
        if (value instanceof java.util.Map<?, ?>) {
            return "object";
        }
        return value.getClass().getSimpleName();
    }
}
