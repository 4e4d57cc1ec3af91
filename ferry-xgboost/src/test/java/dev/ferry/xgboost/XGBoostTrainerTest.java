package dev.ferry.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XGBoostTrainerTest {

    private static final List<String> CITIES = List.of("Bergen", "Oslo", "Tromsø");
    private static final ModelSignature SIGNATURE = XGBoostTrainer.signature(
            List.of(Field.of("age", FeatureType.INT64), Field.of("income", FeatureType.FLOAT64),
                    Field.of("member", FeatureType.BOOL), Field.of("city", FeatureType.STRING)),
            Map.of("city", CITIES));

    @TempDir
    Path dir;

    private static List<Row> rows(int n, Random random) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Row.of("age", (long) (18 + random.nextInt(60)), "income", random.nextDouble() < 0.1 ? null : random.nextGaussian() * 1000 + 5000,
                    "member", random.nextBoolean(), "city", CITIES.get(random.nextInt(3))));
        }
        return rows;
    }

    private static float[] labels(List<Row> rows) {
        float[] y = new float[rows.size()];
        for (int i = 0; i < y.length; i++) {
            Row r = rows.get(i);
            boolean north = r.get("city").equals("Tromsø");
            y[i] = ((Long) r.get("age") > 40) ^ north ? 1 : 0;
        }
        return y;
    }

    @Test
    void aModelTrainedFromRowsServesThroughFerryWithTheSamePredictionsAsXGBoostItself() throws Exception {
        List<Row> rows = rows(400, new Random(7));
        XGBoostTrainer.Trained t = XGBoostTrainer.train(SIGNATURE, rows, labels(rows),
                Map.of("objective", "binary:logistic", "max_depth", 3, "eta", 0.3), 20, 42);
        Path file = dir.resolve("m.json");
        Files.write(file, t.modelJson());
        assertThat(new String(t.modelJson())).contains("\"c\"").contains("\"city\"");
        assertThat(t.parameters()).containsEntry("seed", "42").containsEntry("rounds", "20").containsEntry("nthread", "1");

        try (Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file, t.signature()))) {
            List<Row> out = model.predictRows(rows);
            Booster booster = XGBoost.loadModel(t.modelJson());
            float[] x = dev.ferry.model.RowTensors.toInputs(SIGNATURE, rows).get("input").floats();
            float[][] direct = booster.predict(new DMatrix(x, rows.size(), 4, Float.NaN));
            int correct = 0;
            float[] y = labels(rows);
            for (int i = 0; i < rows.size(); i++) {
                float[] p = (float[]) out.get(i).get("probabilities");
                assertThat(p[1]).isEqualTo(direct[i][0]);
                correct += ((Long) out.get(i).get("label")) == y[i] ? 1 : 0;
            }
            assertThat(correct).as("the model learned the categorical interaction").isGreaterThan(380);
            booster.dispose();
        }
    }

    @Test
    void theSameRowsParametersAndSeedGiveAByteIdenticalModel() {
        List<Row> rows = rows(300, new Random(3));
        Map<String, Object> params = Map.of("objective", "binary:logistic", "subsample", 0.7, "colsample_bytree", 0.8);
        byte[] a = XGBoostTrainer.train(SIGNATURE, rows, labels(rows), params, 10, 11).modelJson();
        byte[] b = XGBoostTrainer.train(SIGNATURE, rows, labels(rows), params, 10, 11).modelJson();
        byte[] c = XGBoostTrainer.train(SIGNATURE, rows, labels(rows), params, 10, 12).modelJson();
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void refusesMismatchedLabelsAndWronglyTypedValues() {
        List<Row> rows = rows(5, new Random(1));
        assertThatThrownBy(() -> XGBoostTrainer.train(SIGNATURE, rows, new float[4], Map.of(), 5, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labels had 4 values but there are 5 rows");
        List<Row> bad = List.of(Row.of("age", 30.5, "city", "Oslo"));
        assertThatThrownBy(() -> XGBoostTrainer.train(SIGNATURE, bad, new float[1], Map.of(), 5, 1))
                .hasMessageContaining("'age' was 30.5 of type float64 but the expected type is int64");
    }
}
