package dev.ferry.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scores the XGBoost 3.x models of ../shared/data/xgboost-models through Ferry (CSV rows to
 * {@code RowTensors} to the model) and compares every row with the predictions XGBoost itself
 * made ({@code *.expected.csv}), for the JSON files and for the same models re-saved as UBJSON.
 */
@Tag("conformance")
class XGBoostConformanceTest {

    private static final double RELATIVE = 1e-6;

    private static Path data() {
        return Path.of(System.getProperty("ferry.shared.data", "../shared/data"));
    }

    private static Path models() {
        return data().resolve("xgboost-models");
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"json", "ubj"})
    void irisWithMissingValuesGivesXGBoostsProbabilitiesOnEveryRow(String format) throws Exception {
        try (Model model = load("MultinomialClassificationIrisNA", format)) {
            assertThat(model.signature().featureNames())
                    .containsExactly("Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width");
            assertThat(model.signature().output("probabilities").orElseThrow().shape()).containsExactly(-1, 3);
            List<Row> out = model.predictRows(Csv.rows(models().resolve("IrisNA.csv"), model.signature()));
            List<double[]> expected = Csv.numbers(models().resolve("MultinomialClassificationIrisNA.expected.csv"));
            assertRowsAgree(out, expected, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "ubj"})
    void auditWithStringCategoriesAndABooleanGivesXGBoostsProbabilitiesOnEveryRow(String format) throws Exception {
        try (Model model = load("BinomialClassificationAudit", format)) {
            var sig = model.signature();
            assertThat(sig.schema().field("Employment").type()).isEqualTo(FeatureType.STRING);
            assertThat(sig.schema().field("Deductions").type()).isEqualTo(FeatureType.BOOL);
            assertThat(sig.schema().field("Age").type()).isEqualTo(FeatureType.INT64);
            assertThat(sig.categories().get("Gender")).containsExactly("Female", "Male");
            assertThat(sig.categories().get("Employment"))
                    .containsExactly("Consultant", "PSFederal", "PSLocal", "PSState", "Private", "SelfEmp", "Volunteer");
            List<Row> out = model.predictRows(Csv.rows(models().resolve("Audit.csv"), sig));
            List<double[]> expected = Csv.numbers(models().resolve("BinomialClassificationAudit.expected.csv"));
            assertRowsAgree(out, expected, 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "ubj"})
    void visitWithCategoricalStringsAndIntegersGivesXGBoostsPredictionOnEveryRow(String format) throws Exception {
        try (Model model = load("PoissonRegressionVisit", format)) {
            var sig = model.signature();
            assertThat(sig.categories().get("edlevel")).containsExactly("Coll/Univ", "Grad_School", "HS_grad", "Not_HS_grad");
            assertThat(sig.categories().get("female")).containsExactly("0", "1");
            assertThat(sig.output("prediction")).isPresent();
            List<Row> out = model.predictRows(Csv.rows(models().resolve("Visit.csv"), sig));
            List<double[]> expected = Csv.numbers(models().resolve("PoissonRegressionVisit.expected.csv"));
            assertThat(out).hasSize(expected.size());
            for (int r = 0; r < out.size(); r++) {
                float got = (Float) out.get(r).get("prediction");
                assertClose(got, expected.get(r)[0], "row " + r);
            }
        }
    }

    @Test
    void agaricusModelTrainedHereScoresTheTestSetAsBoosterPredictDoes() throws Exception {
        Path dir = data().resolve("xgboost-agaricus");
        Libsvm trainSet = Libsvm.read(dir.resolve("agaricus.txt.train"), 127);
        Libsvm testSet = Libsvm.read(dir.resolve("agaricus.txt.test"), 127);
        DMatrix train = trainSet.matrix();
        DMatrix test = testSet.matrix();
        Booster booster = XGBoost.train(train, Map.of("objective", "binary:logistic", "max_depth", 3, "eta", 0.5,
                "nthread", 1, "seed", 7), 10, Map.of(), null, null);
        Path file = tmp.resolve("agaricus.json");
        booster.saveModel(file.toString());
        float[][] expected = booster.predict(test);
        try (Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file))) {
            Tensor p = model.predict(Map.of("input", Tensor.ofFloats("input", new long[] {testSet.rows(), 127}, testSet.dense())))
                    .get("probabilities");
            int wrong = 0;
            for (int r = 0; r < testSet.rows(); r++) {
                assertThat(p.floats()[2 * r + 1]).as("row %d", r).isEqualTo(expected[r][0]);
                wrong += (p.floats()[2 * r + 1] > 0.5f ? 1 : 0) != (int) testSet.labels()[r] ? 1 : 0;
            }
            assertThat(wrong).as("misclassified test rows").isLessThan(testSet.rows() / 50);
        } finally {
            booster.dispose();
            train.dispose();
            test.dispose();
        }
    }

    /** libsvm rows as a dense array with NaN where a feature is absent (absent means missing in XGBoost). */
    private record Libsvm(float[] dense, float[] labels, int rows, int features) {

        static Libsvm read(Path file, int features) throws Exception {
            List<float[]> rows = new ArrayList<>();
            List<Float> labels = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                float[] row = new float[features];
                java.util.Arrays.fill(row, Float.NaN);
                String[] parts = line.trim().split("\\s+");
                labels.add(Float.parseFloat(parts[0]));
                for (int i = 1; i < parts.length; i++) {
                    int colon = parts[i].indexOf(':');
                    row[Integer.parseInt(parts[i].substring(0, colon))] = Float.parseFloat(parts[i].substring(colon + 1));
                }
                rows.add(row);
            }
            float[] dense = new float[rows.size() * features];
            float[] y = new float[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, dense, r * features, features);
                y[r] = labels.get(r);
            }
            return new Libsvm(dense, y, rows.size(), features);
        }

        DMatrix matrix() throws Exception {
            DMatrix m = new DMatrix(dense, rows, features, Float.NaN);
            m.setLabel(labels);
            return m;
        }
    }

    private Model load(String name, String format) throws Exception {
        Path json = models().resolve(name + ".json");
        Path file = json;
        if (format.equals("ubj")) {
            Booster b = XGBoost.loadModel(json.toString());
            file = tmp.resolve(name + ".ubj");
            Files.write(file, b.toByteArray("ubj"));
            b.dispose();
        }
        return ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file));
    }

    private static void assertRowsAgree(List<Row> out, List<double[]> expected, int classes) {
        assertThat(out).hasSize(expected.size());
        for (int r = 0; r < out.size(); r++) {
            float[] p = (float[]) out.get(r).get("probabilities");
            double[] e = expected.get(r);
            int best = 0;
            for (int k = 0; k < classes; k++) {
                assertClose(p[k], e[k + 1], "row " + r + " class " + k);
                best = p[k] > p[best] ? k : best;
            }
            assertThat(out.get(r).get("label")).as("row %d label", r).isEqualTo((long) best);
        }
    }

    private static void assertClose(double got, double expected, String what) {
        double tolerance = RELATIVE * Math.max(Math.abs(expected), 1e-30);
        assertThat(Math.abs(got - expected)).as("%s: got %s expected %s", what, got, expected).isLessThanOrEqualTo(tolerance);
    }
}
