package dev.ferry.lightgbm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Row;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scores the jpmml-lightgbm reference models through Ferry (CSV rows, RowTensors, Model) and
 * compares every row with the predictions LightGBM itself wrote ({@code *.expected.csv}).
 */
@Tag("conformance")
class LightGbmConformanceTest {

    private static final double RELATIVE = 1e-9;

    private static Path data(String name) {
        return Path.of(System.getProperty("ferry.shared.data"), "lightgbm-models", name);
    }

    @Test
    void irisProbabilitiesMatchLightGbmOnEveryRowWithFeaturesTakenByName() {
        try (Model model = ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(data("ClassificationIris.txt")))) {
            assertThat(model.signature().featureNames())
                    .containsExactly("Petal.Length", "Petal.Width", "Sepal.Length", "Sepal.Width");
            Csv inputs = Csv.read(data("Iris.csv"));
            Csv expected = Csv.read(data("ClassificationIris.expected.csv"));
            List<Row> out = model.predictRows(inputs.featureRows(model.signature()));
            assertThat(out).hasSize(150);
            for (int k = 0; k < 3; k++) {
                double[] want = expected.column("probability(" + k + ")");
                for (int r = 0; r < out.size(); r++) {
                    double got = ((double[]) out.get(r).get("probabilities"))[k];
                    assertClose(got, want[r], "row " + r + " class " + k);
                }
            }
            double[] labels = expected.column("_target");
            for (int r = 0; r < out.size(); r++) {
                double[] p = (double[]) out.get(r).get("probabilities");
                assertThat(out.get(r).get("label")).as("row %d label", r).isEqualTo((long) argMax(p));
            }
            assertThat(labels).isNotEmpty();
        }
    }

    @Test
    void poissonVisitPredictionsMatchLightGbmOnEveryRowWithPandasCategoricals() {
        try (Model model = ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(data("RegressionVisit.txt")))) {
            assertThat(model.signature().featureNames())
                    .containsExactly("age", "outwork", "female", "married", "kids", "hhninc", "educ", "self");
            assertThat(model.signature().categories()).containsOnlyKeys("outwork", "female", "married", "kids", "self")
                    .containsEntry("outwork", List.of("0", "1"));
            assertThat(model.signature().schema().field("outwork").type()).isEqualTo(FeatureType.INT64);
            Csv inputs = Csv.read(data("Visit.csv"));
            double[] want = Csv.read(data("RegressionVisit.expected.csv")).column("_target");
            List<Row> out = model.predictRows(inputs.featureRows(model.signature()));
            assertThat(out).hasSize(want.length).hasSize(2263);
            for (int r = 0; r < want.length; r++) {
                assertClose((double) out.get(r).get("prediction"), want[r], "row " + r);
            }
        }
    }

    @Test
    void visitShapValuesAddUpToTheLogOfThePoissonPrediction() {
        try (Model model = ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(data("RegressionVisit.txt")))) {
            List<Row> rows = Csv.read(data("Visit.csv")).featureRows(model.signature()).subList(0, 50);
            var inputs = dev.ferry.model.RowTensors.toInputs(model.signature(), rows);
            double[] prediction = model.predict(inputs).get("prediction").doubles();
            double[] shap = model.contributions(inputs).orElseThrow().doubles();
            int width = model.signature().features().size() + 1;
            for (int r = 0; r < rows.size(); r++) {
                double sum = 0;
                for (int j = 0; j < width; j++) {
                    sum += shap[r * width + j];
                }
                assertClose(Math.exp(sum), prediction[r], "row " + r);
            }
        }
    }

    private static int argMax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    static void assertClose(double got, double want, String what) {
        double tolerance = Math.max(Math.abs(want) * RELATIVE, 1e-15);
        assertThat(Math.abs(got - want)).as("%s: got %s, LightGBM wrote %s", what, got, want).isLessThanOrEqualTo(tolerance);
    }
}
