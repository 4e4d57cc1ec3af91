package dev.ferry.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimedSignatureTest {

    @TempDir
    Path dir;

    private static ModelSignature packed(String input, ScalarType type, String... features) {
        List<Field> fields = java.util.Arrays.stream(features).map(f -> Field.of(f, FeatureType.of(type))).toList();
        return new ModelSignature(fields, InputLayout.PACKED, List.of(TensorSpec.of(input, type, -1, features.length)),
                List.of(), Map.of());
    }

    @Test
    void aConsistentClaimedSignatureNamesTheFeaturesRowsAreMatchedBy() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        ModelSignature claimed = packed("x", ScalarType.FLOAT32, "age", "income", "score");
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file, claimed))) {
            assertThat(model.signature().featureNames()).containsExactly("age", "income", "score");
            assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("y", ScalarType.FLOAT32, -1, 3));
            List<Row> out = model.predictRows(List.of(Row.of("score", 3.0f, "age", 1.0f, "income", 2.0f)));
            assertThat((float[]) out.get(0).get("y")).containsExactly(2, 4, 6);
        }
    }

    @Test
    void aClaimedSignatureThatEqualsTheLoadedOnePassesTheValidatorsComparison() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        ModelSignature claimed = new ModelSignature(packed("x", ScalarType.FLOAT32, "a", "b", "c").features(), InputLayout.PACKED,
                List.of(TensorSpec.of("x", ScalarType.FLOAT32, -1, 3)), List.of(TensorSpec.of("y", ScalarType.FLOAT32, -1, 3)), Map.of());
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file, claimed))) {
            assertThat(claimed.mismatch(model.signature())).isEmpty();
        }
    }

    @Test
    void aClaimedFeatureCountThatDiffersFromTheArtifactIsAValidationFailureSayingSo() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        ModelSignature claimed = packed("x", ScalarType.FLOAT32, "a", "b", "c", "d");
        assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file, claimed)))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("feature count differs: claimed 4 features but the artifact's input 'x' has 3 columns");
    }

    @Test
    void aClaimedInputNameOrTypeThatDiffersIsReportedWithBothValuesAtOnce() {
        Path file = OnnxGraphs.write(OnnxGraphs.identities(), dir.resolve("id.onnx"));
        ModelSignature claimed = new ModelSignature(List.of(Field.of("b", FeatureType.BOOL), Field.of("i", FeatureType.INT64)),
                InputLayout.PER_FEATURE,
                List.of(TensorSpec.of("b", ScalarType.BOOL, -1, 2), TensorSpec.of("i", ScalarType.INT64, -1, 2)),
                List.of(), Map.of());
        assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file, claimed)))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("input names differ: claimed [b, i] but the artifact has [b, i, l, f, d, s]")
                .hasMessageContaining("input 'i' is claimed as int64 but the artifact has int32");
    }

    @Test
    void aClaimedOutputTheArtifactLacksIsAValidationFailure() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        ModelSignature claimed = new ModelSignature(packed("x", ScalarType.FLOAT32, "a", "b", "c").features(), InputLayout.PACKED,
                List.of(TensorSpec.of("x", ScalarType.FLOAT32, -1, 3)), List.of(TensorSpec.of("proba", ScalarType.FLOAT32, -1, 2)), Map.of());
        assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file, claimed)))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("output 'proba' is claimed but the artifact's outputs are [y]");
    }

    @Test
    void aPackedInputWithAnOpenFeatureCountHasNoFeatureNamesUntilASignatureGivesThem() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, -1), dir.resolve("open.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            assertThat(model.signature().layout()).isEqualTo(InputLayout.PACKED);
            assertThat(model.signature().features()).isEmpty();
            assertThatThrownBy(() -> model.predictRows(List.of(Row.of("a", 1.0f))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("load it with a signature");
        }
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file, packed("x", ScalarType.FLOAT32, "a", "b")))) {
            List<Row> out = model.predictRows(List.of(Row.of("a", 1.0f, "b", 5.0f)));
            assertThat((float[]) out.get(0).get("y")).containsExactly(2, 10);
        }
    }
}
