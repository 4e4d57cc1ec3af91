package dev.ferry.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.onnx.OnnxModelRuntime;
import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ONNX rows of the runtime table in BENCHMARKS.md: the XGBoost benchmark's 100 trees as an ONNX
 * TreeEnsembleClassifier ({@link OnnxTrained}), scored through Ferry ({@code Model.predict},
 * {@code predictRows}) and through a bare {@link OrtSession} built with Ferry's own session
 * options for {@code threads=1}; the direct call copies both outputs into Java arrays, as Ferry
 * does. See docs/benchmarks-runtimes.md for the command.
 */
@State(Scope.Benchmark)
public class OnnxPredictBenchmark extends RuntimeBenchmark {

    @Param({"1", "1000"})
    public int rows;

    private Path dir;
    private Model ferry;
    private OrtEnvironment env;
    private OrtSession.SessionOptions options;
    private OrtSession direct;
    private float[] data;
    private long[] shape;
    private Map<String, Tensor> inputs;
    private List<Row> rowList;

    @Setup
    public void setUp() throws IOException, OrtException {
        dir = Files.createTempDirectory("ferry-bench-onnx");
        Path file = OnnxTrained.trainTo(dir);
        Map<String, String> threads = Map.of("threads", Integer.toString(THREADS));
        ferry = ModelRuntimes.load(ModelFormat.ONNX, new ModelLoadRequest(file, Optional.empty(), threads));
        env = OnnxModelRuntime.environment();
        options = OnnxModelRuntime.sessionOptions(threads);
        direct = env.createSession(file.toString(), options);
        Synthetic scoring = Synthetic.scoring(rows);
        data = scoring.x.clone();
        shape = new long[] {rows, Synthetic.FEATURES};
        inputs = Map.of(XGBoostToOnnx.INPUT, scoring.tensor(XGBoostToOnnx.INPUT));
        rowList = scoring.toRows();
    }

    @TearDown
    public void tearDown() throws IOException, OrtException {
        ferry.close();
        direct.close();
        options.close();
        deleteTree(dir);
    }

    @Benchmark
    public Map<String, Tensor> ferryPredict() {
        return ferry.predict(inputs);
    }

    /** The outputs of a bare session run, copied into Java arrays. */
    public record Outputs(long[] labels, float[] probabilities) {
    }

    @Benchmark
    public Outputs direct() throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
             OrtSession.Result result = direct.run(Map.of(XGBoostToOnnx.INPUT, in))) {
            long[] labels = new long[rows];
            float[] probabilities = new float[rows * 2];
            ((OnnxTensor) result.get(XGBoostToOnnx.LABEL).orElseThrow()).getLongBuffer().get(labels);
            ((OnnxTensor) result.get(XGBoostToOnnx.PROBABILITIES).orElseThrow()).getFloatBuffer().get(probabilities);
            return new Outputs(labels, probabilities);
        }
    }

    @Benchmark
    public List<Row> ferryPredictRows() {
        return ferry.predictRows(rowList);
    }
}
