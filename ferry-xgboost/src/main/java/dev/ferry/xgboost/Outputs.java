package dev.ferry.xgboost;

import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster.PredictionType;

/**
 * How XGBoost's raw prediction rows become Ferry's output tensors, chosen once per model from
 * its objective (see docs/runtime-xgboost.md for the rules).
 */
final class Outputs {

    static final String PROBABILITIES = "probabilities";
    static final String LABEL = "label";
    static final String PREDICTION = "prediction";
    static final String MARGIN = "margin";

    enum Kind {
        /** binary:logistic, binary:hinge: XGBoost gives p (or 0/1); Ferry gives [1-p, p] and the label. */
        BINARY_VALUE,
        /** binary:logitraw: XGBoost gives the logit; Ferry applies the sigmoid. */
        BINARY_LOGIT,
        /** multi:softprob: XGBoost gives the K probabilities. */
        MULTI_PROBABILITY,
        /** multi:softmax: XGBoost gives only the class, so Ferry asks for margins and applies softmax. */
        MULTI_SOFTMAX,
        /** Regression, ranking, survival and anything else: the transformed prediction. */
        VALUE,
        /** The option output_margin=true: untransformed margins. */
        MARGIN
    }

    private final Kind kind;
    private final int width;
    private final int classes;

    private Outputs(Kind kind, int width, int classes) {
        this.kind = kind;
        this.width = width;
        this.classes = classes;
    }

    /**
     * Picks the rule. {@code valueWidth} and {@code marginWidth} are the lengths of one row of
     * XGBoost's transformed and untransformed prediction, measured on the loaded model.
     */
    static Outputs choose(ModelDescription d, boolean outputMargin, int valueWidth, int marginWidth) {
        if (outputMargin) {
            return new Outputs(Kind.MARGIN, marginWidth, 0);
        }
        String objective = d.objective();
        if (objective.startsWith("multi:") && d.numClass() >= 2) {
            if (objective.equals("multi:softmax") && marginWidth == d.numClass()) {
                return new Outputs(Kind.MULTI_SOFTMAX, marginWidth, d.numClass());
            }
            if (valueWidth == d.numClass()) {
                return new Outputs(Kind.MULTI_PROBABILITY, valueWidth, d.numClass());
            }
        }
        if (valueWidth == 1) {
            switch (objective) {
                case "binary:logistic", "binary:hinge" -> {
                    return new Outputs(Kind.BINARY_VALUE, 1, 2);
                }
                case "binary:logitraw" -> {
                    return new Outputs(Kind.BINARY_LOGIT, 1, 2);
                }
                default -> {
                    // not a single-output classifier: fall through to a plain prediction
                }
            }
        }
        return new Outputs(Kind.VALUE, valueWidth, 0);
    }

    Kind kind() {
        return kind;
    }

    boolean classifier() {
        return classes > 0;
    }

    /** What to ask XGBoost for. */
    PredictionType predictionType() {
        return kind == Kind.MARGIN || kind == Kind.MULTI_SOFTMAX ? PredictionType.kMargin : PredictionType.kValue;
    }

    List<TensorSpec> specs() {
        if (classifier()) {
            return List.of(TensorSpec.of(PROBABILITIES, ScalarType.FLOAT32, -1, classes),
                    TensorSpec.of(LABEL, ScalarType.INT64, -1));
        }
        String name = kind == Kind.MARGIN ? MARGIN : PREDICTION;
        return List.of(width == 1 ? TensorSpec.of(name, ScalarType.FLOAT32, -1)
                : TensorSpec.of(name, ScalarType.FLOAT32, -1, width));
    }

    /** Converts XGBoost's rows ({@code raw[r]} has {@link #width} values) into the output tensors. */
    Map<String, Tensor> toTensors(float[][] raw, int rows) {
        if (!classifier()) {
            String name = kind == Kind.MARGIN ? MARGIN : PREDICTION;
            float[] flat = new float[rows * width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(raw[r], 0, flat, r * width, width);
            }
            long[] shape = width == 1 ? new long[] {rows} : new long[] {rows, width};
            return Map.of(name, Tensor.ofFloats(name, shape, flat));
        }
        float[] probabilities = new float[rows * classes];
        long[] labels = new long[rows];
        for (int r = 0; r < rows; r++) {
            int at = r * classes;
            switch (kind) {
                case BINARY_VALUE -> binary(raw[r][0], probabilities, at);
                case BINARY_LOGIT -> binary((float) (1.0 / (1.0 + Math.exp(-raw[r][0]))), probabilities, at);
                case MULTI_PROBABILITY -> System.arraycopy(raw[r], 0, probabilities, at, classes);
                case MULTI_SOFTMAX -> softmax(raw[r], probabilities, at);
                default -> throw new IllegalStateException(kind.name());
            }
            labels[r] = argmax(probabilities, at, classes);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(PROBABILITIES, Tensor.ofFloats(PROBABILITIES, new long[] {rows, classes}, probabilities));
        out.put(LABEL, Tensor.ofLongs(LABEL, new long[] {rows}, labels));
        return out;
    }

    private static void binary(float p, float[] out, int at) {
        out[at] = 1f - p;
        out[at + 1] = p;
    }

    private static void softmax(float[] margins, float[] out, int at) {
        double max = Double.NEGATIVE_INFINITY;
        for (float m : margins) {
            max = Math.max(max, m);
        }
        double sum = 0;
        for (float m : margins) {
            sum += Math.exp(m - max);
        }
        for (int k = 0; k < margins.length; k++) {
            out[at + k] = (float) (Math.exp(margins[k] - max) / sum);
        }
    }

    /** The first index of the largest value, so a tie goes to the lower class as in numpy's argmax. */
    private static long argmax(float[] values, int from, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (values[from + k] > values[from + best]) {
                best = k;
            }
        }
        return best;
    }
}
