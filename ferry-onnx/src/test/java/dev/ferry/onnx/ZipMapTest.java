package dev.ferry.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZipMap outputs (sequences of label-to-probability maps) become dense [N, K] float32 tensors
 * in label order. Expected probabilities are the softmax of the linear scores, computed here in
 * double precision from the same coefficients.
 */
class ZipMapTest {

    // Three classes over two features, class-major: class c has weights COEF[2c], COEF[2c+1].
    private static final float[] COEF = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f};
    private static final float[] INTERCEPTS = {0.1f, -0.2f, 0.3f};
    private static final float[] X = {1.0f, 2.0f, -0.5f, 0.25f, 3.0f, -1.0f, 0f, 0f};

    @TempDir
    Path dir;

    @Test
    void integerLabelsBecomeColumnsInNumericOrderUnderTheModelsOutputNames() {
        // 3 < 7 < 11 numerically, but "11" < "3" < "7" as text: the order must be numeric.
        Path file = OnnxGraphs.write(OnnxGraphs.linearClassifierWithZipMap(List.of(3L, 7L, 11L), null, COEF, INTERCEPTS),
                dir.resolve("zip.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            assertThat(model.signature().outputs()).containsExactly(
                    TensorSpec.of("output_label", ScalarType.INT64, -1),
                    TensorSpec.of("output_probability", ScalarType.FLOAT32, -1, 3));
            assertThat(((OnnxModel) model).classLabels("output_probability")).contains(List.of("3", "7", "11"));

            Map<String, Tensor> out = model.predict(Map.of("X", Tensor.ofFloats("X", new long[] {4, 2}, X)));
            Tensor p = out.get("output_probability");
            assertThat(p.shape()).containsExactly(4, 3);
            assertMatchesSoftmax(p.floats());
            long[] labels = out.get("output_label").longs();
            long[] classes = {3, 7, 11};
            for (int r = 0; r < 4; r++) {
                assertThat(labels[r]).isEqualTo(classes[argmax(p.floats(), r, 3)]);
            }
        }
    }

    @Test
    void stringLabelsBecomeColumnsInLabelOrder() {
        Path file = OnnxGraphs.write(OnnxGraphs.linearClassifierWithZipMap(null, List.of("cat", "dog", "emu"), COEF, INTERCEPTS),
                dir.resolve("zip-s.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            assertThat(((OnnxModel) model).classLabels("output_probability")).contains(List.of("cat", "dog", "emu"));
            assertThat(model.signature().output("output_label")).contains(TensorSpec.of("output_label", ScalarType.STRING, -1));
            Map<String, Tensor> out = model.predict(Map.of("X", Tensor.ofFloats("X", new long[] {4, 2}, X)));
            assertMatchesSoftmax(out.get("output_probability").floats());
            String[] names = {"cat", "dog", "emu"};
            for (int r = 0; r < 4; r++) {
                assertThat(out.get("output_label").strings()[r]).isEqualTo(names[argmax(out.get("output_probability").floats(), r, 3)]);
            }
        }
    }

    @Test
    void rowsComeBackWithAProbabilityArrayAndALabel() {
        Path file = OnnxGraphs.write(OnnxGraphs.linearClassifierWithZipMap(List.of(3L, 7L, 11L), null, COEF, INTERCEPTS),
                dir.resolve("zip.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            List<Row> rows = model.predictRows(List.of(Row.of("f0", 1.0f, "f1", 2.0f), Row.of("f0", -0.5f, "f1", 0.25f)));
            assertThat(rows).hasSize(2);
            float[] p0 = (float[]) rows.get(0).get("output_probability");
            assertThat(p0).hasSize(3);
            assertThat((double) p0[0] + p0[1] + p0[2]).isCloseTo(1.0, within(1e-6));
            assertThat(rows.get(0).get("output_label")).isInstanceOf(Long.class);
        }
    }

    @Test
    void anEmptyBatchGivesAnEmptyProbabilityTensorWithTheClassColumns() {
        Path file = OnnxGraphs.write(OnnxGraphs.linearClassifierWithZipMap(List.of(3L, 7L, 11L), null, COEF, INTERCEPTS),
                dir.resolve("zip.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            Tensor p = model.predict(Map.of("X", Tensor.ofFloats("X", new long[] {0, 2}, new float[0]))).get("output_probability");
            assertThat(p.shape()).containsExactly(0, 3);
        }
    }

    private static void assertMatchesSoftmax(float[] p) {
        for (int r = 0; r < X.length / 2; r++) {
            double[] s = new double[3];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                s[c] = (double) COEF[2 * c] * X[2 * r] + (double) COEF[2 * c + 1] * X[2 * r + 1] + INTERCEPTS[c];
                max = Math.max(max, s[c]);
            }
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                s[c] = Math.exp(s[c] - max);
                sum += s[c];
            }
            for (int c = 0; c < 3; c++) {
                // float32 arithmetic in ONNX Runtime against double here: a few float ulps apart.
                assertThat((double) p[r * 3 + c]).as("row %d class %d", r, c).isCloseTo(s[c] / sum, within(1e-6));
            }
        }
    }

    private static int argmax(float[] p, int row, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (p[row * k + c] > p[row * k + best]) {
                best = c;
            }
        }
        return best;
    }
}
