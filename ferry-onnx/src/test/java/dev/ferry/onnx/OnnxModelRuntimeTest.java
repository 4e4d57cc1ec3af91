package dev.ferry.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.NotReadyException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.FeatureType;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void theRuntimeIsFoundThroughTheServiceLoaderForOnnx() {
        assertThat(ModelRuntimes.runtime(ModelFormat.ONNX)).isInstanceOf(OnnxModelRuntime.class);
        assertThat(ModelRuntimes.runtime(ModelFormat.ONNX).version()).isEqualTo("1.23.2");
    }

    @Test
    void everyScalarTypeRoundTripsThroughAnIdentityGraph() {
        Path file = OnnxGraphs.write(OnnxGraphs.identities(), dir.resolve("id.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            assertThat(model.signature().inputs()).containsExactly(
                    TensorSpec.of("b", ScalarType.BOOL, -1, 2), TensorSpec.of("i", ScalarType.INT32, -1, 2),
                    TensorSpec.of("l", ScalarType.INT64, -1, 2), TensorSpec.of("f", ScalarType.FLOAT32, -1, 2),
                    TensorSpec.of("d", ScalarType.FLOAT64, -1, 2), TensorSpec.of("s", ScalarType.STRING, -1, 2));
            assertThat(model.signature().layout()).isEqualTo(InputLayout.PER_FEATURE);
            // two bools or two strings per row are not a feature type: those inputs take tensors only
            assertThat(model.signature().featureNames()).containsExactly("i", "l", "f", "d");
            assertThat(model.signature().features().get(2).type()).isEqualTo(FeatureType.vector(ScalarType.FLOAT32, 2));
            assertThatThrownBy(() -> model.predictRows(java.util.List.of(dev.ferry.types.Row.of("i", new int[] {1, 2}))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("b:bool[-1, 2]")
                    .hasMessageContaining("no feature fills");

            long[] shape = {3, 2};
            Map<String, Tensor> out = model.predict(Map.of(
                    "b", Tensor.ofBools("b", shape, new boolean[] {true, false, false, true, true, true}),
                    "i", Tensor.ofInts("i", shape, new int[] {1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}),
                    "l", Tensor.ofLongs("l", shape, new long[] {1, -2, 3, Long.MAX_VALUE, Long.MIN_VALUE, 0}),
                    "f", Tensor.ofFloats("f", shape, new float[] {1.5f, -2f, Float.NaN, Float.MAX_VALUE, Float.MIN_VALUE, 0}),
                    "d", Tensor.ofDoubles("d", shape, new double[] {1.5, -2, Double.NaN, Double.MAX_VALUE, Double.MIN_VALUE, 0}),
                    "s", Tensor.ofStrings("s", shape, new String[] {"a", "", "ünï", "日本", "x y", "z"})));

            assertThat(out.keySet()).containsExactly("b_out", "i_out", "l_out", "f_out", "d_out", "s_out");
            assertThat(out.get("b_out").bools()).containsExactly(true, false, false, true, true, true);
            assertThat(out.get("i_out").ints()).containsExactly(1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE, 0);
            assertThat(out.get("l_out").longs()).containsExactly(1, -2, 3, Long.MAX_VALUE, Long.MIN_VALUE, 0);
            assertThat(out.get("f_out").floats()).containsExactly(1.5f, -2f, Float.NaN, Float.MAX_VALUE, Float.MIN_VALUE, 0);
            assertThat(out.get("d_out").doubles()).containsExactly(1.5, -2, Double.NaN, Double.MAX_VALUE, Double.MIN_VALUE, 0);
            assertThat(out.get("s_out").strings()).containsExactly("a", "", "ünï", "日本", "x y", "z");
            assertThat(out.get("s_out").shape()).containsExactly(3, 2);
        }
    }

    @Test
    void aSingleTwoDimensionalNumericInputIsPackedWithFeaturesNamedByPosition() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            assertThat(model.signature().layout()).isEqualTo(InputLayout.PACKED);
            assertThat(model.signature().featureNames()).containsExactly("f0", "f1", "f2");
            assertThat(model.signature().outputs()).containsExactly(TensorSpec.of("y", ScalarType.FLOAT32, -1, 3));
            Tensor y = model.predict(Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, new float[] {1, 2, 3}))).get("y");
            assertThat(y.floats()).containsExactly(2, 4, 6);
        }
    }

    @Test
    void aFileThatIsNotOnnxIsInvalidInputNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.onnx"), "this is a text file, not a model\n");
        assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not an ONNX model");
    }

    @Test
    void aMissingFileIsNotFound() {
        Path file = dir.resolve("absent.onnx");
        assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void unknownOptionsAreRefusedNamingTheKeyAndTheKnownKeys() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        ModelLoadRequest request = new ModelLoadRequest(file, Optional.empty(), Map.of("thread", "2"));
        assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.ONNX, request))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'thread'")
                .hasMessageContaining("threads")
                .hasMessageContaining("optimization");
    }

    @Test
    void badOptionValuesAreAllReportedAtOnce() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        ModelLoadRequest request = new ModelLoadRequest(file, Optional.empty(), Map.of("threads", "many", "optimization", "max"));
        assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.ONNX, request))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'threads' was 'many'")
                .hasMessageContaining("'optimization' was 'max'");
    }

    @Test
    void theThreadsAndOptimizationOptionsAreAccepted() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        ModelLoadRequest request = new ModelLoadRequest(file, Optional.empty(), Map.of("threads", "1", "optimization", "basic"));
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, request)) {
            Tensor y = model.predict(Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, new float[] {1, 2, 3}))).get("y");
            assertThat(y.floats()).containsExactly(2, 4, 6);
        }
    }

    @Test
    void loadInfoReportsTheArtifactSizeAndTheMeasuredLoadTime() throws Exception {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        AtomicLong ticks = new AtomicLong(1_000);
        OnnxModelRuntime runtime = new OnnxModelRuntime(() -> ticks.getAndAdd(250));
        try (Model model = runtime.load(ModelLoadRequest.of(file))) {
            assertThat(model.loadInfo().artifactBytes()).isEqualTo(Files.size(file));
            assertThat(model.loadInfo().memoryBytes()).isGreaterThanOrEqualTo(Files.size(file));
            assertThat(model.loadInfo().loadTime()).isEqualTo(Duration.ofNanos(250));
            assertThat(model.runtimeVersion()).isEqualTo("ONNX Runtime 1.23.2");
            assertThat(model.format()).isEqualTo(ModelFormat.ONNX);
        }
    }

    @Test
    void predictAfterCloseIsNotReadyAndCloseIsIdempotent() {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 3), dir.resolve("d.onnx"));
        Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file));
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats("x", new long[] {1, 3}, new float[] {1, 2, 3}));
        assertThat(model.predict(in)).containsKey("y");
        model.close();
        model.close();
        assertThatThrownBy(() -> model.predict(in))
                .isInstanceOf(NotReadyException.class)
                .hasMessageContaining("closed");
    }
}
