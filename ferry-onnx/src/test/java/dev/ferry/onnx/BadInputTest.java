package dev.ferry.onnx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {

    @TempDir
    static Path dir;

    static Model model;

    @BeforeAll
    static void load() {
        model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"))));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aTensorOfTheWrongShapeIsRefusedNamingTheInput() {
        assertThatThrownBy(() -> model.predict(Map.of("x", Tensor.ofFloats("x", new long[] {2, 2}, new float[4]))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 'x'")
                .hasMessageContaining("[2, 2]")
                .hasMessageContaining("[-1, 3]");
    }

    @Test
    void aTensorOfTheWrongRankIsRefusedNamingTheInput() {
        assertThatThrownBy(() -> model.predict(Map.of("x", Tensor.ofFloats("x", new long[] {3}, new float[3]))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 'x'");
    }

    @Test
    void aTensorOfTheWrongTypeIsRefusedNamingTheInputAndBothTypes() {
        assertThatThrownBy(() -> model.predict(Map.of("x", Tensor.ofDoubles("x", new long[] {1, 3}, new double[3]))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 'x'")
                .hasMessageContaining("FP64")
                .hasMessageContaining("FP32");
    }

    @Test
    void aMissingInputIsRefusedNamingIt() {
        assertThatThrownBy(() -> model.predict(Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 'x' is missing");
    }

    @Test
    void anInputTheModelDoesNotHaveIsRefusedNamingItAndTheRealOnes() {
        assertThatThrownBy(() -> model.predict(Map.of(
                "x", Tensor.ofFloats("x", new long[] {1, 3}, new float[3]),
                "z", Tensor.ofFloats("z", new long[] {1, 3}, new float[3]))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 'z' is not an input")
                .hasMessageContaining("[x]");
    }

    @Test
    void aRowWithAValueOfTheWrongTypeIsRefusedNamingTheRowAndFeature() {
        assertThatThrownBy(() -> model.predictRows(List.of(Row.of("f0", 1.0f, "f1", "two", "f2", 3.0f))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("row 0")
                .hasMessageContaining("f1");
    }

    @Test
    void aNullStringIsRefusedNamingTheInput(@TempDir Path other) {
        try (Model ids = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(OnnxGraphs.write(OnnxGraphs.identities(), other.resolve("id.onnx"))))) {
            long[] shape = {1, 2};
            Map<String, Tensor> in = Map.of(
                    "b", Tensor.ofBools("b", shape, new boolean[2]), "i", Tensor.ofInts("i", shape, new int[2]),
                    "l", Tensor.ofLongs("l", shape, new long[2]), "f", Tensor.ofFloats("f", shape, new float[2]),
                    "d", Tensor.ofDoubles("d", shape, new double[2]), "s", Tensor.ofStrings("s", shape, new String[] {"a", null}));
            assertThatThrownBy(() -> ids.predict(in))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("input 's'");
        }
    }
}
