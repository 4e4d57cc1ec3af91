package dev.ferry.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.ferry.types.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Category lists stored in the model as XGBoost 3.1+ writes them ({@code cats.enc}), here added
 * to a model trained on codes so the test needs no dataframe library: non-ASCII strings (whose
 * UTF-8 bytes XGBoost stores as signed int8) and integers.
 */
class StoredCategoriesTest {

    @TempDir
    Path tmp;

    private Path withCategories(Trained t, ObjectNode first, ObjectNode second) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(t.booster.toByteArray("json"));
        ObjectNode model = (ObjectNode) root.get("learner").get("gradient_booster").get("model");
        ObjectNode cats = mapper.createObjectNode();
        cats.set("enc", mapper.createArrayNode().add(first).add(second).add(emptyStrings(mapper)));
        cats.set("feature_segments", mapper.createArrayNode().add(0).add(3).add(6).add(6));
        cats.set("sorted_idx", mapper.createArrayNode());
        model.set("cats", cats);
        Path file = tmp.resolve("cats.json");
        Files.write(file, mapper.writeValueAsBytes(root));
        return file;
    }

    private static ObjectNode emptyStrings(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.set("offsets", mapper.createArrayNode());
        n.set("values", mapper.createArrayNode());
        return n;
    }

    private static ObjectNode strings(ObjectMapper mapper, String... names) {
        ArrayNode offsets = mapper.createArrayNode().add(0);
        ArrayNode values = mapper.createArrayNode();
        int at = 0;
        for (String name : names) {
            for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
                values.add(b); // int8, as XGBoost writes them
                at++;
            }
            offsets.add(at);
        }
        ObjectNode n = mapper.createObjectNode();
        n.set("offsets", offsets);
        n.set("values", values);
        return n;
    }

    private static ObjectNode integers(ObjectMapper mapper, long... values) {
        ObjectNode n = mapper.createObjectNode();
        n.put("type", 9); // an int64 array in XGBoost's value kinds; Ferry reads the numbers whatever the kind
        ArrayNode v = mapper.createArrayNode();
        for (long x : values) {
            v.add(x);
        }
        n.set("values", v);
        return n;
    }

    @Test
    void stringAndIntegerCategoriesMapToTheirCodes() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 3)) {
            for (int r = 0; r < t.rows; r++) {
                t.data[r * 3] = Math.floorMod(r, 3);
                t.data[r * 3 + 1] = Math.floorMod(r * 7, 3);
            }
            t.booster.setFeatureNames(new String[] {"city", "floors", "area"});
            t.booster.setFeatureTypes(new String[] {"c", "c", "q"});
            ObjectMapper mapper = new ObjectMapper();
            Path file = withCategories(t, strings(mapper, "Zürich", "Århus", "Łódź"), integers(mapper, 1, 2, 10));
            try (Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file))) {
                var sig = model.signature();
                assertThat(sig.categories().get("city")).containsExactly("Zürich", "Århus", "Łódź");
                assertThat(sig.categories().get("floors")).containsExactly("1", "2", "10");
                assertThat(sig.schema().field("city").type()).isEqualTo(FeatureType.STRING);
                assertThat(sig.schema().field("floors").type()).isEqualTo(FeatureType.INT64);

                List<Row> out = model.predictRows(List.of(
                        Row.of("city", "Łódź", "floors", 10L, "area", 1.5),
                        Row.of("city", "Atlantis", "floors", 2L, "area", 1.5),
                        Row.of("city", null, "floors", 2L, "area", 1.5)));
                float[][] direct = t.booster.inplace_predict(new float[] {2, 2, 1.5f, Float.NaN, 1, 1.5f}, 2, 3, Float.NaN);
                assertThat(out.get(0).get("prediction")).isEqualTo(direct[0][0]);
                // an unknown category of a nullable feature is sent as missing, like a null
                assertThat(out.get(1).get("prediction")).isEqualTo(direct[1][0]);
                assertThat(out.get(2).get("prediction")).isEqualTo(direct[1][0]);
            }
        }
    }

    @Test
    void aClaimedSignatureWhoseCategoriesDifferFromTheStoredOnesIsRefused() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 3)) {
            t.booster.setFeatureTypes(new String[] {"c", "c", "q"});
            ObjectMapper mapper = new ObjectMapper();
            Path file = withCategories(t, strings(mapper, "x", "y", "z"), integers(mapper, 1, 2, 3));
            ModelSignature claimed = new ModelSignature(
                    List.of(Field.of("letter", FeatureType.STRING), Field.of("n", FeatureType.INT64), Field.of("v", FeatureType.FLOAT32)),
                    InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT32, -1, 3)), List.of(),
                    Map.of("letter", List.of("z", "y", "x")));
            assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file, claimed)))
                    .isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("letter").hasMessageContaining("[z, y, x]").hasMessageContaining("[x, y, z]");

            ModelSignature renamed = new ModelSignature(claimed.features(), InputLayout.PACKED, claimed.inputs(), List.of(), Map.of());
            try (Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file, renamed))) {
                assertThat(model.signature().categories()).isEqualTo(Map.of("letter", List.of("x", "y", "z"), "n", List.of("1", "2", "3")));
            }

            ModelSignature perFeature = new ModelSignature(claimed.features(), InputLayout.PER_FEATURE,
                    List.of(TensorSpec.of("letter", ScalarType.STRING, -1), TensorSpec.of("n", ScalarType.INT64, -1),
                            TensorSpec.of("v", ScalarType.FLOAT32, -1)), List.of(), Map.of());
            assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(file, perFeature)))
                    .isInstanceOf(ValidationFailedException.class).hasMessageContaining("PACKED");
        }
    }

    @Test
    void theSameCategoriesComeBackFromUbjson() throws Exception {
        try (Trained t = Trained.train("reg:squarederror", 0, 3)) {
            t.booster.setFeatureTypes(new String[] {"c", "c", "q"});
            ObjectMapper mapper = new ObjectMapper();
            Path json = withCategories(t, strings(mapper, "b", "a", "ç"), integers(mapper, -5, 0, 5));
            Path ubj = tmp.resolve("cats.ubj");
            var booster = ml.dmlc.xgboost4j.java.XGBoost.loadModel(Files.readAllBytes(json));
            Files.write(ubj, booster.toByteArray("ubj"));
            booster.dispose();
            try (Model model = ModelRuntimes.load(ModelFormat.XGBOOST, ModelLoadRequest.of(ubj))) {
                assertThat(model.signature().categories()).isEqualTo(Map.of("f0", List.of("b", "a", "ç"),
                        "f1", List.of("-5", "0", "5")));
            }
        }
    }
}
