package dev.ferry.model;

import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one conversion path between rows of named values and model tensors. Training-set
 * builders, the serving engine, batch scoring and golden-example checks all go through here, so
 * a value is typed, encoded and checked the same way offline and online.
 */
public final class RowTensors {

    private RowTensors() {
    }

    /**
     * Builds the input tensors of {@code signature} from {@code rows}. Each value is checked
     * against its feature's type; a wrong type, a missing required feature or an unknown
     * category of a non-nullable feature is an {@link InvalidInputException} naming the row and
     * feature. Features absent from a row are missing (null).
     */
    public static Map<String, Tensor> toInputs(ModelSignature signature, List<Row> rows) {
        return switch (signature.layout()) {
            case PACKED -> packed(signature, rows);
            case PER_FEATURE -> perFeature(signature, rows);
        };
    }

    private static Map<String, Tensor> packed(ModelSignature sig, List<Row> rows) {
        TensorSpec spec = sig.inputs().get(0);
        List<Field> features = sig.features();
        int n = rows.size();
        int f = features.size();
        Map<String, Map<String, Integer>> codes = categoryCodes(sig);
        long[] shape = {n, f};
        switch (spec.type()) {
            case FLOAT32 -> {
                float[] data = new float[n * f];
                for (int r = 0; r < n; r++) {
                    Row row = rows.get(r);
                    for (int j = 0; j < f; j++) {
                        data[r * f + j] = (float) numeric(r, features.get(j), row, codes);
                    }
                }
                return Map.of(spec.name(), Tensor.ofFloats(spec.name(), shape, data));
            }
            case FLOAT64 -> {
                double[] data = new double[n * f];
                for (int r = 0; r < n; r++) {
                    Row row = rows.get(r);
                    for (int j = 0; j < f; j++) {
                        data[r * f + j] = numeric(r, features.get(j), row, codes);
                    }
                }
                return Map.of(spec.name(), Tensor.ofDoubles(spec.name(), shape, data));
            }
            case INT64, INT32 -> {
                long[] data = new long[n * f];
                for (int r = 0; r < n; r++) {
                    Row row = rows.get(r);
                    for (int j = 0; j < f; j++) {
                        double d = numeric(r, features.get(j), row, codes);
                        if (Double.isNaN(d)) {
                            throw new InvalidInputException("row " + r + ": feature '" + features.get(j).name()
                                    + "' is missing but the model input '" + spec.name() + "' is " + spec.type() + " and cannot hold a missing value");
                        }
                        data[r * f + j] = (long) d;
                    }
                }
                if (spec.type() == ScalarType.INT64) {
                    return Map.of(spec.name(), Tensor.ofLongs(spec.name(), shape, data));
                }
                int[] ints = new int[data.length];
                for (int i = 0; i < ints.length; i++) {
                    ints[i] = Math.toIntExact(data[i]);
                }
                return Map.of(spec.name(), Tensor.ofInts(spec.name(), shape, ints));
            }
            default -> throw new InvalidInputException("packed input '" + spec.name() + "' has type " + spec.type()
                    + " but a packed input must be numeric");
        }
    }

    private static Map<String, Map<String, Integer>> categoryCodes(ModelSignature sig) {
        if (sig.categories().isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, Integer>> out = new HashMap<>();
        sig.categories().forEach((name, cats) -> {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < cats.size(); i++) {
                m.put(cats.get(i), i);
            }
            out.put(name, m);
        });
        return out;
    }

    /** A feature's value as the number the model sees; NaN for missing. */
    private static double numeric(int rowIndex, Field field, Row row, Map<String, Map<String, Integer>> codes) {
        Object raw = row.get(field.name());
        Object v;
        try {
            v = field.coerce(raw);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("row " + rowIndex + ": " + e.getMessage());
        }
        if (v == null) {
            return Double.NaN;
        }
        Map<String, Integer> cat = codes.get(field.name());
        if (cat != null) {
            Integer code = cat.get(String.valueOf(v));
            if (code == null) {
                if (!field.nullable()) {
                    throw new InvalidInputException("row " + rowIndex + ": feature '" + field.name() + "' was '" + v
                            + "' but the model knows only the categories " + cat.keySet());
                }
                return Double.NaN; // unseen category: treated as missing, as XGBoost and LightGBM do
            }
            return code;
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof Number num) {
            return num.doubleValue();
        }
        throw new InvalidInputException("row " + rowIndex + ": feature '" + field.name() + "' is of type " + field.type()
                + " but a packed numeric input needs a number, a bool or a categorical with known categories");
    }

    private static Map<String, Tensor> perFeature(ModelSignature sig, List<Row> rows) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int n = rows.size();
        for (Field field : sig.features()) {
            TensorSpec spec = sig.input(field.name()).orElseThrow(() -> new InvalidInputException(
                    "feature '" + field.name() + "' has no input tensor of the same name"));
            FeatureType ft = field.type();
            int width = ft.isVector() ? ft.length() : 1;
            long[] specShape = spec.shape();
            long[] shape = specShape.length == 1 ? new long[] {n} : new long[] {n, width};
            Object data = java.lang.reflect.Array.newInstance(tensorComponent(spec.type()), n * width);
            for (int r = 0; r < n; r++) {
                Object v;
                try {
                    v = field.coerce(rows.get(r).get(field.name()));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException("row " + r + ": " + e.getMessage());
                }
                if (ft.isVector()) {
                    if (v == null) {
                        fillMissing(spec, field, data, r * width, width, r);
                    } else {
                        for (int k = 0; k < width; k++) {
                            put(spec, data, r * width + k, java.lang.reflect.Array.get(v, k), field, r);
                        }
                    }
                } else if (v == null) {
                    fillMissing(spec, field, data, r, 1, r);
                } else {
                    put(spec, data, r, v, field, r);
                }
            }
            out.put(spec.name(), Tensor.of(spec.name(), spec.type(), shape, data));
        }
        return out;
    }

    private static Class<?> tensorComponent(ScalarType t) {
        return switch (t) {
            case BOOL -> boolean.class;
            case INT32 -> int.class;
            case INT64 -> long.class;
            case FLOAT32 -> float.class;
            case FLOAT64 -> double.class;
            case STRING -> String.class;
        };
    }

    private static void fillMissing(TensorSpec spec, Field field, Object data, int from, int count, int row) {
        for (int i = from; i < from + count; i++) {
            switch (spec.type()) {
                case FLOAT32 -> ((float[]) data)[i] = Float.NaN;
                case FLOAT64 -> ((double[]) data)[i] = Double.NaN;
                case STRING -> ((String[]) data)[i] = "";
                default -> throw new InvalidInputException("row " + row + ": feature '" + field.name()
                        + "' is missing but the model input '" + spec.name() + "' is " + spec.type() + " and cannot hold a missing value");
            }
        }
    }

    private static void put(TensorSpec spec, Object data, int i, Object v, Field field, int row) {
        switch (spec.type()) {
            case FLOAT32 -> ((float[]) data)[i] = ((Number) asNumber(v, spec, field, row)).floatValue();
            case FLOAT64 -> ((double[]) data)[i] = ((Number) asNumber(v, spec, field, row)).doubleValue();
            case INT32 -> ((int[]) data)[i] = Math.toIntExact(integer(v, spec, field, row));
            case INT64 -> ((long[]) data)[i] = integer(v, spec, field, row);
            case BOOL -> {
                if (!(v instanceof Boolean b)) {
                    throw wrong(v, spec, field, row);
                }
                ((boolean[]) data)[i] = b;
            }
            case STRING -> ((String[]) data)[i] = String.valueOf(v);
        }
    }

    private static Object asNumber(Object v, TensorSpec spec, Field field, int row) {
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (!(v instanceof Number)) {
            throw wrong(v, spec, field, row);
        }
        return v;
    }

    private static long integer(Object v, TensorSpec spec, Field field, int row) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw wrong(v, spec, field, row);
    }

    private static InvalidInputException wrong(Object v, TensorSpec spec, Field field, int row) {
        return new InvalidInputException("row " + row + ": feature '" + field.name() + "' was " + v + " of type "
                + FeatureType.typeName(v) + " but the model input '" + spec.name() + "' expects " + spec.type());
    }

    /**
     * Splits output tensors into one row per batch element: a [N] or [N, 1] tensor gives a
     * scalar per row, a [N, K] tensor a K-element array (float[], double[], long[], int[] or
     * String[]).
     */
    public static List<Row> toRows(Map<String, Tensor> outputs, int batchSize) {
        List<Map<String, Object>> maps = new ArrayList<>(batchSize);
        for (int r = 0; r < batchSize; r++) {
            maps.add(new LinkedHashMap<>());
        }
        for (Tensor t : outputs.values()) {
            if (t.rank() == 0 || t.dim(0) != batchSize) {
                throw new InvalidInputException("output '" + t.name() + "' has shape " + java.util.Arrays.toString(t.shape())
                        + " but its first dimension must be the batch size " + batchSize);
            }
            int width = batchSize == 0 ? 0 : t.size() / batchSize;
            boolean scalar = t.rank() == 1 || (t.rank() == 2 && t.dim(1) == 1);
            for (int r = 0; r < batchSize; r++) {
                if (scalar) {
                    maps.get(r).put(t.name(), t.get(r));
                } else {
                    Object slice = java.lang.reflect.Array.newInstance(t.data().getClass().getComponentType(), width);
                    System.arraycopy(t.data(), r * width, slice, 0, width);
                    maps.get(r).put(t.name(), slice);
                }
            }
        }
        List<Row> rows = new ArrayList<>(batchSize);
        for (Map<String, Object> m : maps) {
            rows.add(new Row(m));
        }
        return rows;
    }
}
