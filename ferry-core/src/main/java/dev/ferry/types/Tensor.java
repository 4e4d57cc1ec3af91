package dev.ferry.types;

import dev.ferry.InvalidInputException;
import java.util.Arrays;

/**
 * A named, dense, row-major tensor. The data is a flat primitive array matching the type:
 * {@code boolean[]} (bool), {@code int[]} (int32), {@code long[]} (int64), {@code float[]}
 * (float32), {@code double[]} (float64) or {@code String[]} (string). The first dimension is
 * the batch. Tensors are handed to runtimes without copying; treat the array as read-only.
 */
public final class Tensor {

    private final String name;
    private final ScalarType type;
    private final long[] shape;
    private final Object data;

    private Tensor(String name, ScalarType type, long[] shape, Object data) {
        this.name = name;
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
        long expected = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new InvalidInputException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + " but every dimension must be zero or more");
            }
            expected *= d;
        }
        int actual = java.lang.reflect.Array.getLength(data);
        if (expected != actual) {
            throw new InvalidInputException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + expected + " elements) but " + actual + " values were given");
        }
    }

    /** Wraps {@code data} (not copied); its array class must match {@code type}. */
    public static Tensor of(String name, ScalarType type, long[] shape, Object data) {
        Class<?> expected = arrayClass(type);
        if (data == null || data.getClass() != expected) {
            throw new InvalidInputException("tensor '" + name + "' of type " + type + " needs a "
                    + expected.getSimpleName() + " but got " + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        return new Tensor(name, type, shape, data);
    }

    public static Tensor ofFloats(String name, long[] shape, float[] data) {
        return new Tensor(name, ScalarType.FLOAT32, shape, data);
    }

    public static Tensor ofDoubles(String name, long[] shape, double[] data) {
        return new Tensor(name, ScalarType.FLOAT64, shape, data);
    }

    public static Tensor ofInts(String name, long[] shape, int[] data) {
        return new Tensor(name, ScalarType.INT32, shape, data);
    }

    public static Tensor ofLongs(String name, long[] shape, long[] data) {
        return new Tensor(name, ScalarType.INT64, shape, data);
    }

    public static Tensor ofBools(String name, long[] shape, boolean[] data) {
        return new Tensor(name, ScalarType.BOOL, shape, data);
    }

    public static Tensor ofStrings(String name, long[] shape, String[] data) {
        return new Tensor(name, ScalarType.STRING, shape, data);
    }

    /** A zero-filled tensor of the given type and shape. */
    public static Tensor zeros(String name, ScalarType type, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        Object data = java.lang.reflect.Array.newInstance(arrayClass(type).getComponentType(), Math.toIntExact(n));
        if (type == ScalarType.STRING) {
            Arrays.fill((String[]) data, "");
        }
        return new Tensor(name, type, shape, data);
    }

    static Class<?> arrayClass(ScalarType type) {
        return switch (type) {
            case BOOL -> boolean[].class;
            case INT32 -> int[].class;
            case INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case STRING -> String[].class;
        };
    }

    public String name() {
        return name;
    }

    public ScalarType type() {
        return type;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    /** Number of elements. */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** The flat backing array (not a copy). */
    public Object data() {
        return data;
    }

    public float[] floats() {
        return (float[]) requireType(ScalarType.FLOAT32);
    }

    public double[] doubles() {
        return (double[]) requireType(ScalarType.FLOAT64);
    }

    public int[] ints() {
        return (int[]) requireType(ScalarType.INT32);
    }

    public long[] longs() {
        return (long[]) requireType(ScalarType.INT64);
    }

    public boolean[] bools() {
        return (boolean[]) requireType(ScalarType.BOOL);
    }

    public String[] strings() {
        return (String[]) requireType(ScalarType.STRING);
    }

    private Object requireType(ScalarType t) {
        if (type != t) {
            throw new InvalidInputException("tensor '" + name + "' is of type " + type + " but " + t + " was expected");
        }
        return data;
    }

    /** Element {@code i} (flat index) as a double; numeric and bool tensors only. */
    public double getDouble(int i) {
        return switch (type) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case BOOL -> ((boolean[]) data)[i] ? 1.0 : 0.0;
            case STRING -> throw new InvalidInputException("tensor '" + name + "' holds strings, not numbers");
        };
    }

    /** Element {@code i} (flat index) boxed as its canonical Java value. */
    public Object get(int i) {
        return java.lang.reflect.Array.get(data, i);
    }

    /** The same data under another name. */
    public Tensor withName(String newName) {
        return new Tensor(newName, type, shape, data);
    }

    /** This tensor as float64, converting if needed (copies unless already float64). */
    public Tensor toDoubles() {
        if (type == ScalarType.FLOAT64) {
            return this;
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return new Tensor(name, ScalarType.FLOAT64, shape, out);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + type + ", " + Arrays.toString(shape) + "]";
    }
}
