package dev.ferry.bench;

import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * XGBoost rows of the runtime table in BENCHMARKS.md: the same 100-tree binary GBDT scored
 * through Ferry ({@code Model.predict} on a packed tensor, and {@code predictRows}) and through
 * XGBoost4J's {@code Booster.inplace_predict} directly, both with one XGBoost thread. See
 * docs/benchmarks-runtimes.md for the command.
 */
@State(Scope.Benchmark)
public class XGBoostPredictBenchmark extends RuntimeBenchmark {

    @Param({"1", "1000"})
    public int rows;

    private static final int[] ALL_TREES = {0, 0};

    private Path dir;
    private Model ferry;
    private Booster direct;
    private float[] data;
    private Map<String, Tensor> inputs;
    private List<Row> rowList;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("ferry-bench-xgb");
        Path file = dir.resolve("gbdt.ubj");
        byte[] bytes = XGBoostTrained.trainTo(file);
        ferry = ModelRuntimes.load(ModelFormat.XGBOOST,
                new ModelLoadRequest(file, Optional.empty(), Map.of("threads", Integer.toString(THREADS))));
        direct = XGBoostTrained.load(bytes, THREADS);
        Synthetic scoring = Synthetic.scoring(rows);
        data = scoring.x.clone();
        inputs = Map.of("input", scoring.tensor("input"));
        rowList = scoring.toRows();
        // XGBoost configures a booster lazily on its first prediction; do it outside the measurement.
        direct();
    }

    @TearDown
    public void tearDown() throws IOException {
        ferry.close();
        direct.dispose();
        deleteTree(dir);
    }

    @Benchmark
    public Map<String, Tensor> ferryPredict() {
        return ferry.predict(inputs);
    }

    @Benchmark
    public float[][] direct() {
        try {
            return direct.inplace_predict(data, rows, Synthetic.FEATURES, Float.NaN, ALL_TREES,
                    Booster.PredictionType.kValue, null);
        } catch (XGBoostError e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public List<Row> ferryPredictRows() {
        return ferry.predictRows(rowList);
    }
}
