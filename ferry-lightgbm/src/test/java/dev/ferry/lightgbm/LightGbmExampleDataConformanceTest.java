package dev.ferry.lightgbm;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.ml.lightgbm.PredictionType;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains on LightGBM's own example data ({@code lightgbm/binary.train}, {@code regression.train}:
 * label first, then 28 features, tab-separated), then scores the held-out {@code .test} files
 * through Ferry's rows path and through the booster directly.
 */
@Tag("conformance")
class LightGbmExampleDataConformanceTest {

    @TempDir
    Path dir;

    private record Table(double[] x, float[] y, int rows, int cols) {
    }

    private static Table read(String name) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("ferry.shared.data"), "lightgbm", name));
        int cols = lines.get(0).split("\t").length - 1;
        double[] x = new double[lines.size() * cols];
        float[] y = new float[lines.size()];
        for (int r = 0; r < lines.size(); r++) {
            String[] cells = lines.get(r).split("\t");
            y[r] = Float.parseFloat(cells[0]);
            for (int c = 0; c < cols; c++) {
                x[r * cols + c] = Double.parseDouble(cells[c + 1]);
            }
        }
        return new Table(x, y, lines.size(), cols);
    }

    private static List<Row> rows(Table t, List<String> names) {
        List<Row> rows = new ArrayList<>(t.rows());
        for (int r = 0; r < t.rows(); r++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int c = 0; c < t.cols(); c++) {
                values.put(names.get(c), t.x()[r * t.cols() + c]);
            }
            rows.add(new Row(values));
        }
        return rows;
    }

    private static String[] names(int cols) {
        String[] names = new String[cols];
        for (int c = 0; c < cols; c++) {
            names[c] = "f" + c;
        }
        return names;
    }

    @Test
    void binaryExampleScoresTheTestSetAsTheBoosterDoesAndBetterThanChance() throws IOException {
        Table train = read("binary.train");
        Table test = read("binary.test");
        try (Trained t = Trained.train(train.x(), train.rows(), train.cols(), train.y(), names(train.cols()),
                "objective=binary num_leaves=31 learning_rate=0.1 verbose=-1 seed=1 deterministic=true num_threads=1", 50);
             Model model = ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(t.save(dir, "binary.txt")))) {
            List<Row> out = model.predictRows(rows(test, model.signature().featureNames()));
            double[] direct = t.direct(test.x(), test.rows(), PredictionType.C_API_PREDICT_NORMAL);
            int correct = 0;
            for (int r = 0; r < test.rows(); r++) {
                assertThat(((double[]) out.get(r).get("probabilities"))[1]).as("row %d", r).isEqualTo(direct[r]);
                if ((long) out.get(r).get("label") == (long) test.y()[r]) {
                    correct++;
                }
            }
            assertThat(correct / (double) test.rows()).as("test-set accuracy").isGreaterThan(0.65);
        }
    }

    @Test
    void regressionExampleScoresTheTestSetAsTheBoosterDoes() throws IOException {
        Table train = read("regression.train");
        Table test = read("regression.test");
        try (Trained t = Trained.train(train.x(), train.rows(), train.cols(), train.y(), names(train.cols()),
                "objective=regression num_leaves=31 verbose=-1 seed=1 deterministic=true num_threads=1", 30);
             Model model = ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(t.save(dir, "regression.txt")))) {
            List<Row> out = model.predictRows(rows(test, model.signature().featureNames()));
            double[] direct = t.direct(test.x(), test.rows(), PredictionType.C_API_PREDICT_NORMAL);
            for (int r = 0; r < test.rows(); r++) {
                assertThat((double) out.get(r).get("prediction")).as("row %d", r).isEqualTo(direct[r]);
            }
        }
    }
}
