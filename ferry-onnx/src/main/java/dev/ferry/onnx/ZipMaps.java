package dev.ferry.onnx;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import dev.ferry.types.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns the output of an {@code ai.onnx.ml} ZipMap (one map per row, class label to
 * probability) into a dense float32 [N, K] tensor. Columns follow label order: numeric order
 * for int64 labels, string order for string labels. That is the order of the map ONNX Runtime
 * builds, and the order scikit-learn's {@code classes_} (and so skl2onnx's ZipMap) uses.
 */
final class ZipMaps {

    private ZipMaps() {
    }

    /** The rows' maps, as Java maps. */
    static List<Map<?, ?>> rows(OnnxSequence seq) throws OrtException {
        List<? extends OnnxValue> values = seq.getValue();
        List<Map<?, ?>> rows = new ArrayList<>(values.size());
        for (OnnxValue v : values) {
            rows.add(((OnnxMap) v).getValue());
        }
        return rows;
    }

    /** The labels of one row's map, in label order, as text. */
    static List<String> labels(Map<?, ?> row) {
        List<Object> keys = new ArrayList<>(row.keySet());
        if (!keys.isEmpty() && keys.get(0) instanceof Long) {
            keys.sort(Comparator.comparingLong(k -> (Long) k));
        } else {
            keys.sort(Comparator.comparing(String::valueOf));
        }
        return keys.stream().map(String::valueOf).toList();
    }

    /**
     * The dense tensor of {@code rows}; {@code known} are the labels seen at load (empty if the
     * probe could not run), used so that every batch has the same columns.
     */
    static Tensor dense(String name, List<Map<?, ?>> rows, List<String> known) {
        List<String> labels = !known.isEmpty() || rows.isEmpty() ? known : labels(rows.get(0));
        int k = labels.size();
        Map<String, Integer> column = new java.util.HashMap<>();
        for (int c = 0; c < k; c++) {
            column.put(labels.get(c), c);
        }
        float[] out = new float[rows.size() * k];
        for (int r = 0; r < rows.size(); r++) {
            Map<?, ?> row = rows.get(r);
            if (row.size() != k) {
                throw new OnnxRuntimeFailure("ZipMap output '" + name + "' row " + r + " has the classes " + row.keySet()
                        + " but the model's classes are " + labels, null);
            }
            for (Map.Entry<?, ?> e : row.entrySet()) {
                Integer c = column.get(String.valueOf(e.getKey()));
                if (c == null) {
                    throw new OnnxRuntimeFailure("ZipMap output '" + name + "' row " + r + " has class '" + e.getKey()
                            + "' but the model's classes are " + labels, null);
                }
                out[r * k + c] = ((Number) e.getValue()).floatValue();
            }
        }
        return Tensor.ofFloats(name, new long[] {rows.size(), k}, out);
    }
}
