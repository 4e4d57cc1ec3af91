package dev.ferry.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boosters other than a plain gbtree, and JSON as XGBoost releases before 3.x wrote it. */
class BoosterVariantsTest {

    @TempDir
    Path tmp;

    private static Map<String, Tensor> input(Trained t) {
        return Map.of("input", Tensor.ofFloats("input", new long[] {t.rows, t.features}, t.data));
    }

    private static void assertSamePredictions(Trained t, Model model) throws Exception {
        float[][] expected = t.predict(false);
        float[] got = model.predict(input(t)).get("prediction").floats();
        for (int r = 0; r < t.rows; r++) {
            assertThat(got[r]).as("row %d", r).isEqualTo(expected[r][0]);
        }
    }

    @Test
    void aDartBoosterPredictsAsBoosterPredict() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 4, 0.1, Map.of("booster", "dart", "rate_drop", 0.1));
             Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(t.save(tmp, "dart.json")))) {
            assertSamePredictions(t, model);
        }
    }

    @Test
    void aLinearBoosterPredictsAsBoosterPredictAndExplainsItsMargin() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 3, 0, Map.of("booster", "gblinear"));
             Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(t.save(tmp, "linear.ubj")))) {
            assertSamePredictions(t, model);
            float[] shap = model.contributions(input(t)).orElseThrow().floats();
            float[][] margin = t.predict(true);
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                sum += shap[j];
            }
            assertThat(sum).isCloseTo(margin[0][0], org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    /**
     * XGBoost 1.x and 2.x wrote no {@code cats}, no {@code num_target} (before 1.6) and a scalar
     * {@code base_score}; a model without feature names or types was common. Such a file still
     * loads, with features f0.. of type float32.
     */
    @Test
    void jsonWithoutTheFieldsLaterReleasesAddedLoadsWithDefaultNamesAndTypes() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 3)) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = (ObjectNode) mapper.readTree(t.booster.toByteArray("json"));
            ObjectNode learner = (ObjectNode) root.get("learner");
            learner.remove("feature_names");
            learner.remove("feature_types");
            ObjectNode param = (ObjectNode) learner.get("learner_model_param");
            param.remove("num_target");
            String baseScore = param.get("base_score").asText().replace("[", "").replace("]", "");
            param.put("base_score", baseScore);
            ((ObjectNode) learner.get("gradient_booster").get("model")).remove("cats");
            root.set("version", mapper.createArrayNode().add(1).add(7).add(6));
            Path file = tmp.resolve("old.json");
            Files.write(file, mapper.writeValueAsBytes(root));
            try (Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file))) {
                assertThat(model.signature().featureNames()).containsExactly("f0", "f1", "f2");
                assertThat(model.signature().features()).allMatch(f -> f.type().equals(FeatureType.FLOAT32));
                assertSamePredictions(t, model);
            }
        }
    }
}
