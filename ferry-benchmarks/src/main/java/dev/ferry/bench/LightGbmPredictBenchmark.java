package dev.ferry.bench;

import com.microsoft.ml.lightgbm.PredictionType;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMException;
import java.io.IOException;
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
 * LightGBM rows of the runtime table in BENCHMARKS.md: a 100-tree binary GBDT
 * ({@link LightGbmTrained}) scored through Ferry ({@code Model.predict} on a float64 tensor, and
 * {@code predictRows}) and through lightgbm4j's {@code LGBMBooster.predictForMat} directly, both
 * with {@code num_threads=1}. See docs/benchmarks-runtimes.md for the command.
 */
@State(Scope.Benchmark)
public class LightGbmPredictBenchmark extends RuntimeBenchmark {

    @Param({"1", "1000"})
    public int rows;

    private static final String DIRECT_PARAMETERS = "num_threads=" + THREADS;

    private Path dir;
    private Model ferry;
    private LGBMBooster direct;
    private double[] data;
    private Map<String, Tensor> inputs;
    private List<Row> rowList;

    @Setup
    public void setUp() throws IOException, LGBMException {
        dir = Files.createTempDirectory("ferry-bench-lgbm");
        Path file = dir.resolve("gbdt.txt");
        String text = LightGbmTrained.trainTo(file);
        ferry = ModelRuntimes.load(ModelFormat.LIGHTGBM,
                new ModelLoadRequest(file, Optional.empty(), Map.of("threads", Integer.toString(THREADS))));
        direct = LGBMBooster.loadModelFromString(text);
        Synthetic scoring = Synthetic.scoring(rows);
        data = scoring.doubles();
        inputs = Map.of("input", Tensor.ofDoubles("input", new long[] {rows, Synthetic.FEATURES}, data.clone()));
        rowList = scoring.toRows(true);
    }

    @TearDown
    public void tearDown() throws IOException, LGBMException {
        ferry.close();
        direct.close();
        deleteTree(dir);
    }

    @Benchmark
    public Map<String, Tensor> ferryPredict() {
        return ferry.predict(inputs);
    }

    /** lightgbm4j's own call; fine for a binary model (its output buffer holds two values a row). */
    @Benchmark
    public double[] direct() throws LGBMException {
        return direct.predictForMat(data, rows, Synthetic.FEATURES, true, PredictionType.C_API_PREDICT_NORMAL,
                DIRECT_PARAMETERS);
    }

    @Benchmark
    public List<Row> ferryPredictRows() {
        return ferry.predictRows(rowList);
    }
}
