package dev.ferry.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows go through {@link dev.ferry.model.RowTensors} into one tensor per feature and come back as rows. */
class PredictRowsTest {

    @TempDir
    Path dir;

    @Test
    void aModelWithOneInputPerFeatureTakesRowsOfNamedValues() {
        Path file = OnnxGraphs.write(OnnxGraphs.perFeature(), dir.resolve("pf.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            assertThat(model.signature().layout()).isEqualTo(InputLayout.PER_FEATURE);
            assertThat(model.signature().features()).containsExactly(
                    Field.required("age", FeatureType.INT64),
                    Field.of("city", FeatureType.STRING),
                    Field.of("scores", FeatureType.vector(ScalarType.FLOAT32, 3)));

            List<Row> out = model.predictRows(List.of(
                    Row.of("age", 41L, "city", "Oslo", "scores", new float[] {0.5f, 1.5f, 2.5f}),
                    Row.of("age", 7, "city", "Bergen", "scores", new float[] {-1, 0, 1})));

            assertThat(out).hasSize(2);
            assertThat(out.get(0).get("age_out")).isEqualTo(41L);
            assertThat(out.get(0).get("city_out")).isEqualTo("Oslo");
            assertThat((float[]) out.get(0).get("scores_out")).containsExactly(0.5f, 1.5f, 2.5f);
            assertThat(out.get(1).get("age_out")).isEqualTo(7L);
            assertThat(out.get(1).get("city_out")).isEqualTo("Bergen");
            assertThat((float[]) out.get(1).get("scores_out")).containsExactly(-1f, 0f, 1f);
        }
    }

    @Test
    void aRowMissingARequiredIntegerFeatureIsRefusedNamingIt() {
        Path file = OnnxGraphs.write(OnnxGraphs.perFeature(), dir.resolve("pf.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            assertThatThrownBy(() -> model.predictRows(List.of(Row.of("city", "Oslo", "scores", new float[3]))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("row 0")
                    .hasMessageContaining("'age'");
        }
    }

    @Test
    void packedRowsFollowTheSignatureOrderWhateverTheOrderOfTheRowsValues() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            List<Row> out = model.predictRows(List.of(Row.of("f2", 3.0f, "f0", 1.0f, "f1", 2.0f), Row.of("f0", 0.5f, "f1", null, "f2", 4)));
            assertThat((float[]) out.get(0).get("y")).containsExactly(2, 4, 6);
            assertThat((float[]) out.get(1).get("y")).containsExactly(1f, Float.NaN, 8f);
        }
    }
}
