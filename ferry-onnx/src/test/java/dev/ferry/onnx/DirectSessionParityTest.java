package dev.ferry.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe a benchmark uses to measure Ferry's overhead: a bare ONNX Runtime session built
 * from {@link OnnxModelRuntime#environment()} and {@link OnnxModelRuntime#sessionOptions} runs
 * the same computation as Ferry's model, so the only difference left is Ferry's own work.
 */
class DirectSessionParityTest {

    @TempDir
    Path dir;

    @Test
    void aBareSessionConfiguredLikeFerrysGivesTheSameOutputs() throws Exception {
        Path file = OnnxGraphs.write(OnnxGraphs.doubler(-1, 4), dir.resolve("d.onnx"));
        Map<String, String> options = Map.of("threads", "1");
        float[] x = {1, 2, 3, 4, -1, -2, -3, -4.5f};
        float[] ferry;
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, new ModelLoadRequest(file, Optional.empty(), options))) {
            ferry = model.predict(Map.of("x", Tensor.ofFloats("x", new long[] {2, 4}, x))).get("y").floats();
        }
        OrtEnvironment env = OnnxModelRuntime.environment();
        float[] direct = new float[8];
        try (OrtSession.SessionOptions so = OnnxModelRuntime.sessionOptions(options);
             OrtSession session = env.createSession(file.toString(), so);
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {2, 4});
             OrtSession.Result result = session.run(Map.of("x", in))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(direct);
        }
        assertThat(ferry).containsExactly(direct);
        assertThat(direct).containsExactly(2, 4, 6, 8, -2, -4, -6, -9);
    }
}
