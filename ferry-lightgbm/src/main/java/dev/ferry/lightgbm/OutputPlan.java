package dev.ferry.lightgbm;

import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How LightGBM's flat prediction output becomes Ferry's named output tensors, chosen once at load
 * from the objective, the number of classes and the {@code raw_score} option.
 */
enum OutputPlan {
    /** binary: LightGBM gives p(class 1); Ferry gives probabilities [1-p, p] and the label. */
    BINARY,
    /** multiclass / multiclassova: K probabilities per row and the arg-max label. */
    MULTICLASS,
    /** Regression, ranking and any other objective: the transformed prediction as LightGBM gives it. */
    PREDICTION,
    /** Option raw_score=true: the untransformed scores, one per class (one for single-output models). */
    RAW_SCORE;

    static final String PROBABILITIES = "probabilities";
    static final String LABEL = "label";
    static final String PREDICTION_NAME = "prediction";
    static final String RAW_SCORE_NAME = "raw_score";

    private static final Set<String> BINARY_OBJECTIVES = Set.of("binary");
    private static final Set<String> MULTICLASS_OBJECTIVES = Set.of("multiclass", "softmax", "multiclassova",
            "multiclass_ova", "ova", "ovr");

    static OutputPlan choose(String objective, boolean rawScore) {
        if (rawScore) {
            return RAW_SCORE;
        }
        String o = objective.toLowerCase(Locale.ROOT);
        if (BINARY_OBJECTIVES.contains(o)) {
            return BINARY;
        }
        if (MULTICLASS_OBJECTIVES.contains(o)) {
            return MULTICLASS;
        }
        return PREDICTION;
    }

    /** The LightGBM predict type this plan asks for. */
    int predictType() {
        return this == RAW_SCORE ? NativeBooster.PREDICT_RAW_SCORE : NativeBooster.PREDICT_NORMAL;
    }

    List<TensorSpec> outputs(int classes) {
        return switch (this) {
            case BINARY -> List.of(TensorSpec.of(PROBABILITIES, ScalarType.FLOAT64, -1, 2),
                    TensorSpec.of(LABEL, ScalarType.INT64, -1));
            case MULTICLASS -> List.of(TensorSpec.of(PROBABILITIES, ScalarType.FLOAT64, -1, classes),
                    TensorSpec.of(LABEL, ScalarType.INT64, -1));
            case PREDICTION -> List.of(perRow(PREDICTION_NAME, classes));
            case RAW_SCORE -> List.of(perRow(RAW_SCORE_NAME, classes));
        };
    }

    private static TensorSpec perRow(String name, int classes) {
        return classes == 1 ? TensorSpec.of(name, ScalarType.FLOAT64, -1) : TensorSpec.of(name, ScalarType.FLOAT64, -1, classes);
    }

    /** Splits LightGBM's row-major output ({@code rows * classes} values) into the named tensors. */
    Map<String, Tensor> tensors(double[] out, int rows, int classes) {
        Map<String, Tensor> result = new LinkedHashMap<>();
        switch (this) {
            case BINARY -> {
                double[] probabilities = new double[rows * 2];
                long[] labels = new long[rows];
                for (int r = 0; r < rows; r++) {
                    double p = out[r];
                    probabilities[2 * r] = 1.0 - p;
                    probabilities[2 * r + 1] = p;
                    labels[r] = p > 0.5 ? 1 : 0;
                }
                result.put(PROBABILITIES, Tensor.ofDoubles(PROBABILITIES, new long[] {rows, 2}, probabilities));
                result.put(LABEL, Tensor.ofLongs(LABEL, new long[] {rows}, labels));
            }
            case MULTICLASS -> {
                long[] labels = new long[rows];
                for (int r = 0; r < rows; r++) {
                    int best = 0;
                    for (int k = 1; k < classes; k++) {
                        if (out[r * classes + k] > out[r * classes + best]) {
                            best = k;
                        }
                    }
                    labels[r] = best;
                }
                result.put(PROBABILITIES, Tensor.ofDoubles(PROBABILITIES, new long[] {rows, classes}, out));
                result.put(LABEL, Tensor.ofLongs(LABEL, new long[] {rows}, labels));
            }
            case PREDICTION -> result.put(PREDICTION_NAME, perRowTensor(PREDICTION_NAME, out, rows, classes));
            case RAW_SCORE -> result.put(RAW_SCORE_NAME, perRowTensor(RAW_SCORE_NAME, out, rows, classes));
        }
        return result;
    }

    private static Tensor perRowTensor(String name, double[] out, int rows, int classes) {
        long[] shape = classes == 1 ? new long[] {rows} : new long[] {rows, classes};
        return Tensor.ofDoubles(name, shape, out);
    }
}
