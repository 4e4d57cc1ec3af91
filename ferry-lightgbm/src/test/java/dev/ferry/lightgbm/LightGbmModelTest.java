package dev.ferry.lightgbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.ml.lightgbm.PredictionType;
import dev.ferry.model.InputLayout;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models trained here with lightgbm4j, loaded through Ferry and compared with the booster itself. */
class LightGbmModelTest {

    @TempDir
    Path dir;

    private Model load(Path file, Map<String, String> options) {
        return ModelRuntimes.load(ModelFormat.LIGHTGBM, new ModelLoadRequest(file, Optional.empty(), options));
    }

    private static Map<String, Tensor> input(double[] x, int rows, int cols) {
        return Map.of("input", Tensor.ofDoubles("input", new long[] {rows, cols}, x));
    }

    @Test
    void theRuntimeIsFoundThroughTheServiceLoaderAndNamesLightGbmsVersion() {
        assertThat(ModelRuntimes.available(ModelFormat.LIGHTGBM)).isTrue();
        assertThat(ModelRuntimes.runtime(ModelFormat.LIGHTGBM)).isInstanceOf(LightGbmModelRuntime.class);
        assertThat(ModelRuntimes.runtime(ModelFormat.LIGHTGBM).version()).isEqualTo("4.3.0");
    }

    @Test
    void binaryModelGivesBothClassProbabilitiesAndTheLabelMatchingTheBooster() {
        try (Trained t = Trained.binary(1, 0.0); Model model = load(t.save(dir, "binary.txt"), Map.of())) {
            assertThat(model.signature().layout()).isEqualTo(InputLayout.PACKED);
            assertThat(model.signature().featureNames()).containsExactly("a", "b", "c");
            assertThat(model.signature().inputs()).containsExactly(TensorSpec.of("input", ScalarType.FLOAT64, -1, 3));
            assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("probabilities", ScalarType.FLOAT64, -1, 2),
                    TensorSpec.of("label", ScalarType.INT64, -1));
            assertThat(model.runtimeVersion()).contains("4.3.0");
            assertThat(model.loadInfo().artifactBytes()).isPositive();

            Map<String, Tensor> out = model.predict(input(t.x, t.rows, t.cols));
            double[] direct = t.direct(t.x, t.rows, PredictionType.C_API_PREDICT_NORMAL);
            double[] probabilities = out.get("probabilities").doubles();
            long[] labels = out.get("label").longs();
            assertThat(out.get("probabilities").shape()).containsExactly(t.rows, 2);
            for (int r = 0; r < t.rows; r++) {
                assertThat(probabilities[2 * r + 1]).isEqualTo(direct[r]);
                assertThat(probabilities[2 * r]).isCloseTo(1 - direct[r], within(1e-15));
                assertThat(labels[r]).isEqualTo(direct[r] > 0.5 ? 1L : 0L);
            }
            assertThat(Arrays.stream(labels).distinct().count()).isEqualTo(2);
        }
    }

    @Test
    void multiclassModelGivesEveryClassProbabilityAsLightGbmScoredTheTrainingData() {
        try (Trained t = Trained.multiclass(2); Model model = load(t.save(dir, "multi.txt"), Map.of())) {
            assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("probabilities", ScalarType.FLOAT64, -1, 3),
                    TensorSpec.of("label", ScalarType.INT64, -1));
            double[] probabilities = model.predict(input(t.x, t.rows, t.cols)).get("probabilities").doubles();
            double[] training;
            try {
                training = t.booster.getPredict(0); // class-major: all rows of class 0, then class 1, ...
            } catch (io.github.metarank.lightgbm4j.LGBMException e) {
                throw new IllegalStateException(e);
            }
            for (int r = 0; r < t.rows; r++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    assertThat(probabilities[r * 3 + k]).as("row %d class %d", r, k)
                            .isCloseTo(training[k * t.rows + r], within(1e-12));
                    sum += probabilities[r * 3 + k];
                }
                assertThat(sum).isCloseTo(1.0, within(1e-12));
            }
        }
    }

    @Test
    void regressionWithMissingValuesTreatsNullAndNanAsLightGbmDoes() {
        try (Trained t = Trained.regression(3, false); Model model = load(t.save(dir, "reg.txt"), Map.of())) {
            assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("prediction", ScalarType.FLOAT64, -1));
            assertThat(model.signature().schema().field("color").type()).isEqualTo(FeatureType.FLOAT64);
            double[] x = {1, Double.NaN, 0.5, 2, 0.3, -1, 0, Double.NaN, Double.NaN};
            double[] direct = t.direct(x, 3, PredictionType.C_API_PREDICT_NORMAL);
            assertThat(model.predict(input(x, 3, 3)).get("prediction").doubles()).containsExactly(direct);
            Map<String, Object> missing = new HashMap<>();
            missing.put("color", 1.0);
            missing.put("u", null);
            missing.put("v", 0.5);
            List<Row> rows = List.of(new Row(missing), Row.of("color", 2, "u", 0.3, "v", -1), Row.of("color", 0.0));
            List<Row> out = model.predictRows(rows);
            for (int r = 0; r < 3; r++) {
                assertThat((double) out.get(r).get("prediction")).isEqualTo(direct[r]);
            }
            // The missing value took its own branch: it was trained to add about 8 to the target.
            assertThat(direct[0]).isNotEqualTo(t.direct(new double[] {1, 0, 0.5}, 1, PredictionType.C_API_PREDICT_NORMAL)[0]);
        }
    }

    @Test
    void integerCodedCategoricalFeatureWithoutPandasInfoIsTypedInt64AndMatchesTheBooster() {
        try (Trained t = Trained.regression(4, true); Model model = load(t.save(dir, "cat.txt"), Map.of())) {
            assertThat(model.signature().schema().field("color").type()).isEqualTo(FeatureType.INT64);
            assertThat(model.signature().schema().field("u").type()).isEqualTo(FeatureType.FLOAT64);
            assertThat(model.signature().categories()).isEmpty();
            List<Row> rows = new ArrayList<>();
            double[] x = new double[4 * 3];
            for (int code = 0; code < 4; code++) {
                rows.add(Row.of("color", (long) code, "u", 0.25, "v", -0.5));
                x[code * 3] = code;
                x[code * 3 + 1] = 0.25;
                x[code * 3 + 2] = -0.5;
            }
            double[] direct = t.direct(x, 4, PredictionType.C_API_PREDICT_NORMAL);
            List<Row> out = model.predictRows(rows);
            for (int r = 0; r < 4; r++) {
                assertThat((double) out.get(r).get("prediction")).isEqualTo(direct[r]);
            }
            assertThat(Arrays.stream(direct).distinct().count()).as("the category changes the prediction").isGreaterThan(1);
        }
    }

    @Test
    void pandasCategoricalLineGivesStringCategoriesWhosePositionIsTheCode() {
        try (Trained t = Trained.regression(5, true)) {
            Path file = Trained.save(dir, "pandas.txt", t.text + "\npandas_categorical:[[\"blue\", \"green\", \"red\", \"white\"]]\n");
            try (Model model = load(file, Map.of())) {
                assertThat(model.signature().schema().field("color").type()).isEqualTo(FeatureType.STRING);
                assertThat(model.signature().categories()).containsEntry("color", List.of("blue", "green", "red", "white"));
                double[] x = {2, 0.1, 0.2};
                double direct = t.direct(x, 1, PredictionType.C_API_PREDICT_NORMAL)[0];
                Row row = Row.of("color", "red", "u", 0.1, "v", 0.2);
                assertThat((double) model.predictRows(List.of(row)).get(0).get("prediction")).isEqualTo(direct);
                // An unseen category is missing for LightGBM (NaN), as in training.
                double[] nan = {Double.NaN, 0.1, 0.2};
                Row unseen = Row.of("color", "purple", "u", 0.1, "v", 0.2);
                assertThat((double) model.predictRows(List.of(unseen)).get(0).get("prediction"))
                        .isEqualTo(t.direct(nan, 1, PredictionType.C_API_PREDICT_NORMAL)[0]);
            }
        }
    }

    @Test
    void rawScoreOptionGivesTheUntransformedScore() {
        try (Trained t = Trained.binary(6, 0.1); Model model = load(t.save(dir, "raw.txt"), Map.of("raw_score", "true"))) {
            assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("raw_score", ScalarType.FLOAT64, -1));
            double[] raw = model.predict(input(t.x, t.rows, t.cols)).get("raw_score").doubles();
            assertThat(raw).containsExactly(t.direct(t.x, t.rows, PredictionType.C_API_PREDICT_RAW_SCORE));
            double[] p = t.direct(t.x, t.rows, PredictionType.C_API_PREDICT_NORMAL);
            assertThat(1 / (1 + Math.exp(-raw[0]))).isCloseTo(p[0], within(1e-12));
        }
    }

    @Test
    void shapValuesOfABinaryModelAddUpToItsRawScore() {
        try (Trained t = Trained.binary(7, 0.1); Model model = load(t.save(dir, "shap.txt"), Map.of("raw_score", "true"))) {
            Map<String, Tensor> in = input(Arrays.copyOf(t.x, 50 * t.cols), 50, t.cols);
            Tensor shap = model.contributions(in).orElseThrow();
            assertThat(shap.shape()).containsExactly(50, 4);
            assertThat(shap.doubles()).containsExactly(t.direct(Arrays.copyOf(t.x, 50 * t.cols), 50, PredictionType.C_API_PREDICT_CONTRIB));
            double[] raw = model.predict(in).get("raw_score").doubles();
            for (int r = 0; r < 50; r++) {
                double sum = 0;
                for (int j = 0; j < 4; j++) {
                    sum += shap.doubles()[r * 4 + j];
                }
                assertThat(sum).as("row %d", r).isCloseTo(raw[r], within(1e-9));
            }
        }
    }

    @Test
    void shapValuesOfAMulticlassModelHaveOneBlockPerClassAddingUpToThatClassRawScore() {
        try (Trained t = Trained.multiclass(8); Model model = load(t.save(dir, "shap3.txt"), Map.of("raw_score", "true"))) {
            Map<String, Tensor> in = input(Arrays.copyOf(t.x, 20 * t.cols), 20, t.cols);
            Tensor shap = model.contributions(in).orElseThrow();
            assertThat(shap.shape()).containsExactly(20, 3, 5);
            double[] raw = model.predict(in).get("raw_score").doubles();
            for (int r = 0; r < 20; r++) {
                for (int k = 0; k < 3; k++) {
                    double sum = 0;
                    for (int j = 0; j < 5; j++) {
                        sum += shap.doubles()[(r * 3 + k) * 5 + j];
                    }
                    assertThat(sum).as("row %d class %d", r, k).isCloseTo(raw[r * 3 + k], within(1e-9));
                }
            }
        }
    }

    @Test
    void aClaimedSignatureSuppliesTheFeatureNamesAndTypes() {
        try (Trained t = Trained.regression(9, true)) {
            var claimed = new dev.ferry.model.ModelSignature(
                    List.of(dev.ferry.types.Field.of("colour", FeatureType.STRING), dev.ferry.types.Field.of("x1", FeatureType.FLOAT64),
                            dev.ferry.types.Field.of("x2", FeatureType.FLOAT64)),
                    InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, 3)), List.of(),
                    Map.of("colour", List.of("a", "b", "c", "d")));
            try (Model model = ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(t.save(dir, "claimed.txt"), claimed))) {
                assertThat(model.signature().featureNames()).containsExactly("colour", "x1", "x2");
                assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("prediction", ScalarType.FLOAT64, -1));
                double direct = t.direct(new double[] {3, 1, 1}, 1, PredictionType.C_API_PREDICT_NORMAL)[0];
                Row row = Row.of("colour", "d", "x1", 1.0, "x2", 1.0);
                assertThat((double) model.predictRows(List.of(row)).get(0).get("prediction")).isEqualTo(direct);
            }
        }
    }

    @Test
    void anEmptyBatchGivesEmptyOutputs() {
        try (Trained t = Trained.multiclass(10); Model model = load(t.save(dir, "empty.txt"), Map.of())) {
            Map<String, Tensor> out = model.predict(input(new double[0], 0, t.cols));
            assertThat(out.get("probabilities").shape()).containsExactly(0, 3);
            assertThat(out.get("label").shape()).containsExactly(0);
        }
    }
}
