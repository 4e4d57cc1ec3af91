package dev.ferry.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.NotReadyException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The XGBoost runtime on models trained in the test, compared with XGBoost4J's own Booster.predict. */
class XGBoostModelRuntimeTest {

    @TempDir
    Path tmp;

    private static Model load(Path file) {
        return ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file));
    }

    private static Model load(Path file, Map<String, String> options) {
        return ModelRuntimes.load(ModelFormat.XGBOOST, new ModelLoadRequest(file, Optional.empty(), options));
    }

    private static Map<String, Tensor> input(Trained t) {
        return Map.of("input", Tensor.ofFloats("input", new long[] {t.rows, t.features}, t.data));
    }

    @Test
    void theServiceLoaderFindsTheRuntimeForXGBoost() {
        assertThat(ModelRuntimes.runtime(ModelFormat.XGBOOST)).isInstanceOf(XGBoostModelRuntime.class);
        assertThat(ModelRuntimes.runtime(ModelFormat.XGBOOST).version()).isEqualTo("3.4.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary.json", "binary.ubj"})
    void aBinaryClassifierGivesBoosterPredictAsTheSecondProbability(String name) throws Exception {
        try (Trained t = Trained.train("binary:logistic", 0, 4); Model model = load(t.save(tmp, name))) {
            ModelSignature sig = model.signature();
            assertThat(sig.layout()).isEqualTo(InputLayout.PACKED);
            assertThat(sig.inputs()).containsExactly(TensorSpec.of("input", ScalarType.FLOAT32, -1, 4));
            assertThat(sig.featureNames()).containsExactly("f0", "f1", "f2", "f3");
            assertThat(sig.outputs()).containsExactly(TensorSpec.of("probabilities", ScalarType.FLOAT32, -1, 2),
                    TensorSpec.of("label", ScalarType.INT64, -1));
            assertThat(model.format()).isEqualTo(ModelFormat.XGBOOST);
            assertThat(model.runtimeVersion()).isEqualTo("XGBoost 3.4.0");
            assertThat(model.loadInfo().artifactBytes()).isEqualTo(Files.size(tmp.resolve(name)));

            float[][] expected = t.predict(false);
            Map<String, Tensor> out = model.predict(input(t));
            float[] p = out.get("probabilities").floats();
            long[] label = out.get("label").longs();
            for (int r = 0; r < t.rows; r++) {
                assertThat(p[2 * r + 1]).isEqualTo(expected[r][0]);
                assertThat(p[2 * r]).isEqualTo(1f - expected[r][0]);
                assertThat(label[r]).isEqualTo(expected[r][0] > 0.5f ? 1L : 0L);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi.json", "multi.ubj"})
    void aSoftprobClassifierGivesBoosterPredictAndTheArgmaxLabel(String name) throws Exception {
        try (Trained t = Trained.train("multi:softprob", 3, 5); Model model = load(t.save(tmp, name))) {
            float[][] expected = t.predict(false);
            Map<String, Tensor> out = model.predict(input(t));
            assertThat(out.get("probabilities").shape()).containsExactly(t.rows, 3);
            float[] p = out.get("probabilities").floats();
            for (int r = 0; r < t.rows; r++) {
                int best = 0;
                for (int k = 0; k < 3; k++) {
                    assertThat(p[3 * r + k]).isEqualTo(expected[r][k]);
                    best = expected[r][k] > expected[r][best] ? k : best;
                }
                assertThat(out.get("label").longs()[r]).isEqualTo(best);
            }
        }
    }

    @Test
    void aSoftmaxClassifierGivesProbabilitiesWhoseArgmaxIsXGBoostsClass() throws Exception {
        try (Trained t = Trained.train("multi:softmax", 3, 5); Model model = load(t.save(tmp, "softmax.json"))) {
            float[][] classes = t.predict(false);
            Map<String, Tensor> out = model.predict(input(t));
            float[] p = out.get("probabilities").floats();
            for (int r = 0; r < t.rows; r++) {
                assertThat(p[3 * r] + p[3 * r + 1] + p[3 * r + 2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(out.get("label").longs()[r]).isEqualTo((long) classes[r][0]);
            }
        }
    }

    @Test
    void aRegressorGivesBoosterPredictAsPrediction() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 3); Model model = load(t.save(tmp, "reg.ubj"))) {
            assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("prediction", ScalarType.FLOAT32, -1));
            float[][] expected = t.predict(false);
            float[] got = model.predict(input(t)).get("prediction").floats();
            for (int r = 0; r < t.rows; r++) {
                assertThat(got[r]).isEqualTo(expected[r][0]);
            }
        }
    }

    @Test
    void nanAndNullAreMissingValuesAsInXGBoost() throws Exception {
        try (Trained t = Trained.train("binary:logistic", 0, 4, 0.3, Map.of()); Model model = load(t.save(tmp, "nan.json"))) {
            float[][] expected = t.predict(false);
            float[] viaTensor = model.predict(input(t)).get("probabilities").floats();
            List<Row> rows = new ArrayList<>();
            for (int r = 0; r < t.rows; r++) {
                Object[] values = new Object[8];
                for (int j = 0; j < 4; j++) {
                    float v = t.data[r * 4 + j];
                    values[2 * j] = "f" + j;
                    values[2 * j + 1] = Float.isNaN(v) ? null : (Object) v; // null: the row way of saying missing
                }
                rows.add(Row.of(values));
            }
            List<Row> viaRows = model.predictRows(rows);
            int missing = 0;
            for (int r = 0; r < t.rows; r++) {
                assertThat(viaTensor[2 * r + 1]).isEqualTo(expected[r][0]);
                assertThat(((float[]) viaRows.get(r).get("probabilities"))[1]).isEqualTo(expected[r][0]);
                for (int j = 0; j < 4; j++) {
                    missing += Float.isNaN(t.data[r * 4 + j]) ? 1 : 0;
                }
            }
            assertThat(missing).isGreaterThan(100);
        }
    }

    @Test
    void featureNamesAndTypesComeFromTheModel() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 4)) {
            t.booster.setFeatureNames(new String[] {"age", "is member", "income", "3rd"});
            t.booster.setFeatureTypes(new String[] {"int", "i", "q", "float"});
            try (Model model = load(t.save(tmp, "named.json"))) {
                assertThat(model.signature().features()).containsExactly(Field.of("age", FeatureType.INT64),
                        Field.of("is_member", FeatureType.BOOL), Field.of("income", FeatureType.FLOAT32),
                        Field.of("_3rd", FeatureType.FLOAT32));
            }
        }
    }

    @Test
    void aCategoricalFeatureWithoutStoredCategoriesTakesTheCodes() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 2)) {
            for (int r = 0; r < t.rows; r++) {
                t.data[r * 2] = Math.floorMod(r, 3); // codes 0, 1, 2
            }
            t.booster.setFeatureTypes(new String[] {"c", "q"});
            try (Model model = load(t.save(tmp, "cat.json"))) {
                assertThat(model.signature().features().get(0).type()).isEqualTo(FeatureType.INT64);
                assertThat(model.signature().categories()).isEmpty();
                List<Row> out = model.predictRows(List.of(Row.of("f0", 2L, "f1", t.data[1])));
                float direct = t.booster.inplace_predict(new float[] {2f, t.data[1]}, 1, 2, Float.NaN)[0][0];
                assertThat(out.get(0).get("prediction")).isEqualTo(direct);
            }
        }
    }

    @Test
    void contributionsSumToTheMarginForBinaryModels() throws Exception {
        try (Trained t = Trained.train("binary:logistic", 0, 4, 0.2, Map.of()); Model model = load(t.save(tmp, "shap.json"))) {
            Tensor shap = model.contributions(input(t)).orElseThrow();
            assertThat(shap.shape()).containsExactly(t.rows, 5);
            float[][] margin = t.predict(true);
            for (int r = 0; r < t.rows; r++) {
                double sum = 0;
                for (int j = 0; j < 5; j++) {
                    sum += shap.floats()[r * 5 + j];
                }
                assertThat(sum).isCloseTo(margin[r][0], org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void contributionsOfAMultiClassModelHaveOneBlockPerClass() throws Exception {
        try (Trained t = Trained.train("multi:softprob", 3, 4); Model model = load(t.save(tmp, "shap3.ubj"))) {
            Tensor shap = model.contributions(input(t)).orElseThrow();
            assertThat(shap.shape()).containsExactly(t.rows, 3, 5);
            float[][] margin = t.predict(true);
            for (int r = 0; r < t.rows; r++) {
                for (int k = 0; k < 3; k++) {
                    double sum = 0;
                    for (int j = 0; j < 5; j++) {
                        sum += shap.floats()[(r * 3 + k) * 5 + j];
                    }
                    assertThat(sum).isCloseTo(margin[r][k], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void outputMarginGivesTheRawMargins() throws Exception {
        try (Trained t = Trained.train("binary:logistic", 0, 3); Trained m = Trained.train("multi:softprob", 3, 3);
             Model binary = load(t.save(tmp, "b.json"), Map.of("output_margin", "true"));
             Model multi = load(m.save(tmp, "m.json"), Map.of("output_margin", "true", "threads", "2"))) {
            assertThat(binary.signature().outputs()).containsExactly(TensorSpec.of("margin", ScalarType.FLOAT32, -1));
            assertThat(multi.signature().outputs()).containsExactly(TensorSpec.of("margin", ScalarType.FLOAT32, -1, 3));
            float[][] b = t.predict(true);
            float[][] k = m.predict(true);
            float[] gotB = binary.predict(input(t)).get("margin").floats();
            float[] gotK = multi.predict(input(m)).get("margin").floats();
            for (int r = 0; r < t.rows; r++) {
                assertThat(gotB[r]).isEqualTo(b[r][0]);
                assertThat(new float[] {gotK[3 * r], gotK[3 * r + 1], gotK[3 * r + 2]}).containsExactly(k[r]);
            }
        }
    }

    @Test
    void anEmptyBatchGivesEmptyOutputs() throws Exception {
        try (Trained t = Trained.train("binary:logistic", 0, 3); Model model = load(t.save(tmp, "e.json"))) {
            Map<String, Tensor> out = model.predict(Map.of("input", Tensor.ofFloats("input", new long[] {0, 3}, new float[0])));
            assertThat(out.get("probabilities").shape()).containsExactly(0, 2);
            assertThat(out.get("label").size()).isZero();
        }
    }

    @Test
    void aTensorWithTheWrongFeatureCountIsRefused() throws Exception {
        try (Trained t = Trained.train("binary:logistic", 0, 3); Model model = load(t.save(tmp, "w.json"))) {
            assertThatThrownBy(() -> model.predict(Map.of("input", Tensor.ofFloats("input", new long[] {1, 4}, new float[4]))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("[1, 4]").hasMessageContaining("[-1, 3]");
            assertThatThrownBy(() -> model.predict(Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, new float[3]))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("[x]").hasMessageContaining("input");
            assertThatThrownBy(() -> model.predict(Map.of("input", Tensor.ofDoubles("input", new long[] {1, 3}, new double[3]))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("FP64");
        }
    }

    @Test
    void aFloatForAnIntegerFeatureIsRefusedInRows() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 2)) {
            t.booster.setFeatureNames(new String[] {"age", "income"});
            t.booster.setFeatureTypes(new String[] {"int", "float"});
            try (Model model = load(t.save(tmp, "int.json"))) {
                assertThatThrownBy(() -> model.predictRows(List.of(Row.of("age", 30.5, "income", 1.0))))
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining("age").hasMessageContaining("30.5").hasMessageContaining("int64");
                assertThat(model.predictRows(List.of(Row.of("age", 30, "income", 1.0)))).hasSize(1);
            }
        }
    }

    @Test
    void aClaimedSignatureNamesTheFeaturesAndMapsCategoriesToCodes() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 2)) {
            for (int r = 0; r < t.rows; r++) {
                t.data[r * 2] = Math.floorMod(r, 3);
            }
            t.booster.setFeatureTypes(new String[] {"c", "q"});
            Path file = t.save(tmp, "claimed.json");
            ModelSignature claimed = new ModelSignature(
                    List.of(Field.required("colour", FeatureType.STRING), Field.of("size", FeatureType.FLOAT32)),
                    InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT32, -1, 2)), List.of(),
                    Map.of("colour", List.of("red", "green", "blue")));
            try (Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file, claimed))) {
                assertThat(model.signature().featureNames()).containsExactly("colour", "size");
                assertThat(model.signature().outputs()).extracting(TensorSpec::name).containsExactly("prediction");
                Object blue = model.predictRows(List.of(Row.of("colour", "blue", "size", 0.5))).get(0).get("prediction");
                assertThat(blue).isEqualTo(t.booster.inplace_predict(new float[] {2f, 0.5f}, 1, 2, Float.NaN)[0][0]);
                assertThatThrownBy(() -> model.predictRows(List.of(Row.of("colour", "purple", "size", 0.5))))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("colour").hasMessageContaining("purple");
            }
        }
    }

    @Test
    void aClaimedSignatureWithAnotherFeatureCountIsRefused() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 3)) {
            Path file = t.save(tmp, "count.json");
            ModelSignature claimed = new ModelSignature(List.of(Field.of("a", FeatureType.FLOAT32), Field.of("b", FeatureType.FLOAT32)),
                    InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT32, -1, 2)), List.of(), Map.of());
            assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file, claimed)))
                    .isInstanceOf(ValidationFailedException.class).hasMessageContaining("2 features").hasMessageContaining("has 3");
        }
    }

    @Test
    void aFileThatIsNotAModelIsRefusedNamingTheFile() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.json"), "{\"hello\": \"world\"}");
        Path binary = Files.write(tmp.resolve("garbage.ubj"), "binf\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> load(text)).isInstanceOf(InvalidInputException.class).hasMessageContaining("notes.json");
        assertThatThrownBy(() -> load(binary)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("garbage.ubj").hasMessageContaining("legacy binary");
        assertThatThrownBy(() -> load(tmp.resolve("absent.json"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("absent.json");
    }

    @Test
    void unknownOrBadOptionsAreAllReportedAtOnce() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 2)) {
            Path file = t.save(tmp, "o.json");
            assertThatThrownBy(() -> load(file, Map.of("colour", "red", "threads", "zero", "output_margin", "maybe")))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'colour' is unknown").hasMessageContaining("'threads' was 'zero'")
                    .hasMessageContaining("'output_margin' was 'maybe'");
        }
    }

    @Test
    void concurrentPredictionsFromManyThreadsAreIdentical() throws Exception {
        try (Trained t = Trained.train("multi:softprob", 3, 6, 0.1, Map.of()); Model model = load(t.save(tmp, "c.json"))) {
            float[] reference = model.predict(input(t)).get("probabilities").floats();
            float[] shapReference = model.contributions(input(t)).orElseThrow().floats();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int task = 0; task < 64; task++) {
                    boolean shap = task % 8 == 0;
                    results.add(pool.submit(() -> shap
                            ? java.util.Arrays.equals(model.contributions(input(t)).orElseThrow().floats(), shapReference)
                            : java.util.Arrays.equals(model.predict(input(t)).get("probabilities").floats(), reference)));
                }
                for (Future<Boolean> f : results) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aClosedModelRefusesToPredictAndClosingTwiceIsHarmless() throws Exception {
        try (Trained t = Trained.train("binary:logistic", 0, 3)) {
            Model model = load(t.save(tmp, "closed.json"));
            model.close();
            model.close();
            assertThatThrownBy(() -> model.predict(input(t))).isInstanceOf(NotReadyException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> model.contributions(input(t))).isInstanceOf(NotReadyException.class);
        }
    }
}
