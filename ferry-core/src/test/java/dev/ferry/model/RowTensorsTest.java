package dev.ferry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowTensorsTest {

    private static final ModelSignature PACKED = new ModelSignature(
            List.of(Field.of("age", FeatureType.INT32), Field.of("income", FeatureType.FLOAT64),
                    Field.of("member", FeatureType.BOOL), Field.of("city", FeatureType.STRING)),
            InputLayout.PACKED,
            List.of(TensorSpec.of("input", ScalarType.FLOAT32, -1, 4)),
            List.of(TensorSpec.of("probabilities", ScalarType.FLOAT32, -1, 2)),
            Map.of("city", List.of("Bergen", "Oslo")));

    @Test
    void packsFeaturesInSignatureOrderWithCategoryCodesAndMissingAsNaN() {
        Map<String, Tensor> in = RowTensors.toInputs(PACKED, List.of(
                Row.of("age", 30, "income", 1000.5, "member", true, "city", "Oslo"),
                Row.of("city", "Bergen"),
                Row.of("age", 5, "city", "Tromsø")));
        Tensor t = in.get("input");
        assertThat(t.shape()).containsExactly(3, 4);
        float[] d = t.floats();
        assertThat(d).startsWith(30f, 1000.5f, 1f, 1f);
        assertThat(Float.isNaN(d[4])).isTrue();
        assertThat(d[7]).isEqualTo(0f);
        assertThat(Float.isNaN(d[11])).as("unseen category of a nullable feature is missing").isTrue();
    }

    @Test
    void aFloatForAnIntegerFeatureNamesTheRowTheFeatureAndBothTypes() {
        assertThatThrownBy(() -> RowTensors.toInputs(PACKED, List.of(Row.of("age", 1), Row.of("age", 30.5))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("row 1: feature 'age' was 30.5 of type float64 but the expected type is int32");
    }

    @Test
    void unknownCategoryOfARequiredFeatureIsRefused() {
        ModelSignature sig = new ModelSignature(List.of(Field.required("city", FeatureType.STRING)), InputLayout.PACKED,
                List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, 1)), List.of(), Map.of("city", List.of("Oslo")));
        assertThatThrownBy(() -> RowTensors.toInputs(sig, List.of(Row.of("city", "Rome"))))
                .hasMessageContaining("'city' was 'Rome'").hasMessageContaining("[Oslo]");
    }

    @Test
    void perFeatureLayoutBuildsOneTensorPerFeature() {
        ModelSignature sig = new ModelSignature(
                List.of(Field.of("text", FeatureType.STRING), Field.of("emb", FeatureType.vector(ScalarType.FLOAT32, 2)),
                        Field.of("n", FeatureType.INT64)),
                InputLayout.PER_FEATURE,
                List.of(TensorSpec.of("text", ScalarType.STRING, -1, 1), TensorSpec.of("emb", ScalarType.FLOAT32, -1, 2),
                        TensorSpec.of("n", ScalarType.INT64, -1)),
                List.of(), Map.of());
        Map<String, Tensor> in = RowTensors.toInputs(sig, List.of(
                Row.of("text", "a", "emb", List.of(1, 2), "n", 7), Row.of("text", "b", "emb", new float[] {3, 4}, "n", 8L)));
        assertThat(in.get("text").strings()).containsExactly("a", "b");
        assertThat(in.get("text").shape()).containsExactly(2, 1);
        assertThat(in.get("emb").floats()).containsExactly(1, 2, 3, 4);
        assertThat(in.get("n").longs()).containsExactly(7, 8);
        assertThat(in.get("n").shape()).containsExactly(2);
        assertThatThrownBy(() -> RowTensors.toInputs(sig, List.of(Row.of("text", "a", "emb", List.of(1, 2)))))
                .hasMessageContaining("'n' is missing").hasMessageContaining("INT64".toLowerCase());
    }

    @Test
    void splitsOutputsIntoRowsOfScalarsAndVectors() {
        List<Row> rows = RowTensors.toRows(Map.of(
                "probabilities", Tensor.ofFloats("probabilities", new long[] {2, 2}, new float[] {0.1f, 0.9f, 0.7f, 0.3f}),
                "label", Tensor.ofLongs("label", new long[] {2}, new long[] {1, 0})), 2);
        assertThat(rows.get(0).get("label")).isEqualTo(1L);
        assertThat((float[]) rows.get(1).get("probabilities")).containsExactly(0.7f, 0.3f);
        assertThatThrownBy(() -> RowTensors.toRows(Map.of("x", Tensor.ofLongs("x", new long[] {1}, new long[] {1})), 2))
                .hasMessageContaining("batch size 2");
    }

    @Test
    void tensorsRefuseDataThatDoesNotFitTheirShape() {
        assertThatThrownBy(() -> Tensor.ofFloats("x", new long[] {2, 3}, new float[5]))
                .hasMessageContaining("'x'").hasMessageContaining("6 elements").hasMessageContaining("5 values");
        TensorSpec spec = TensorSpec.of("x", ScalarType.FLOAT32, -1, 3);
        assertThatThrownBy(() -> spec.check(Tensor.ofFloats("x", new long[] {1, 4}, new float[4])))
                .hasMessageContaining("[1, 4]").hasMessageContaining("[-1, 3]");
        assertThatThrownBy(() -> spec.check(Tensor.ofDoubles("x", new long[] {1, 3}, new double[3])))
                .hasMessageContaining("FP64").hasMessageContaining("FP32");
    }

    @Test
    void aPackedSignatureMustDeclareOneInputOfTheFeatureWidth() {
        assertThatThrownBy(() -> new ModelSignature(List.of(Field.of("a", FeatureType.FLOAT32)), InputLayout.PACKED,
                List.of(TensorSpec.of("input", ScalarType.FLOAT32, -1, 3)), List.of(), Map.of()))
                .hasMessageContaining("[-1, 1]");
    }
}
