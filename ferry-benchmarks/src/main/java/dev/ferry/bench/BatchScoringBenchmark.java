package dev.ferry.bench;

import dev.ferry.batch.BatchProgress;
import dev.ferry.batch.BatchResult;
import dev.ferry.batch.BatchScorer;
import dev.ferry.batch.ResultSink;
import dev.ferry.batch.TableSource;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Batch scoring throughput (BENCHMARKS.md, "Batch scoring"): a 100-tree GBDT over 20 features,
 * trained seeded with {@link XGBoostTrainer}, scores {@code rows} in-memory rows through
 * {@link BatchScorer} (rows to tensors with RowTensors, chunks on {@code workers} threads, output
 * rows in source order, a sink that drops them), against XGBoost4J's own
 * {@code Booster.predict(DMatrix)} over the same rows as one float matrix with the same number of
 * threads, in the same JVM run. A load generator, not JMH: each run is seconds long. Run:
 * {@code java -Xmx3g --enable-native-access=ALL-UNNAMED -cp "$CP" dev.ferry.bench.BatchScoringBenchmark 1000000 2 5}
 * (arguments: rows, workers, runs, XGBoost nthread per model call; XGBoost4J gets workers x nthread threads).
 */
public final class BatchScoringBenchmark {

    private BatchScoringBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int modelThreads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        List<Field> features = new ArrayList<>();
        for (int j = 0; j < Synthetic.FEATURES; j++) {
            features.add(Field.of("f" + j, FeatureType.FLOAT32));
        }
        Synthetic training = Synthetic.training();
        XGBoostTrainer.Trained trained = XGBoostTrainer.train(XGBoostTrainer.signature(features, Map.of()), toRows(training),
                training.y, Map.of("objective", "binary:logistic", "max_depth", 6, "eta", 0.1), Synthetic.TREES, 1);
        Path file = Files.createTempFile("ferry-bench-batch", ".json");
        Files.write(file, trained.modelJson());
        Synthetic scoring = Synthetic.scoring(rows);
        List<Row> table = toRows(scoring);
        System.out.printf("batch scoring: %d rows x %d features, %d trees, %d workers, model nthread %d, %d cores%n", rows,
                Synthetic.FEATURES, Synthetic.TREES, workers, modelThreads, Runtime.getRuntime().availableProcessors());
        try (Model model = ModelRuntimes.load(ModelFormat.XGBOOST, new ModelLoadRequest(file, Optional.of(trained.signature()),
                Map.of("threads", Integer.toString(modelThreads))))) {
            Booster booster = XGBoost.loadModel(trained.modelJson());
            booster.setParam("nthread", workers * modelThreads);
            try {
                for (int run = 1; run <= runs; run++) {
                    long t0 = System.nanoTime();
                    BatchResult r = BatchScorer.builder(model).chunkRows(4096).workers(workers).build()
                            .score(TableSource.of("memory", table::stream), new Discard(), BatchProgress.none());
                    long ferryNanos = System.nanoTime() - t0;
                    long t1 = System.nanoTime();
                    DMatrix m = new DMatrix(scoring.x, rows, Synthetic.FEATURES, Float.NaN);
                    float[][] p = booster.predict(m);
                    m.dispose();
                    long xgbNanos = System.nanoTime() - t1;
                    if (p.length != rows || r.rowsScored() != rows) {
                        throw new IllegalStateException("scored " + r.rowsScored() + " and " + p.length + " rows, not " + rows);
                    }
                    System.out.printf("run %d: Ferry batch %,.0f rows/s (%d ms); XGBoost4J predict(DMatrix) %,.0f rows/s (%d ms);"
                                    + " ratio %.2fx%n", run, rows / (ferryNanos / 1e9), ferryNanos / 1_000_000, rows / (xgbNanos / 1e9),
                            xgbNanos / 1_000_000, ferryNanos / (double) xgbNanos);
                }
            } finally {
                booster.dispose();
            }
        }
        Files.deleteIfExists(file);
        System.exit(0);
    }

    private static List<Row> toRows(Synthetic data) {
        List<Row> out = new ArrayList<>(data.rows);
        for (int r = 0; r < data.rows; r++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int j = 0; j < Synthetic.FEATURES; j++) {
                m.put("f" + j, data.x[r * Synthetic.FEATURES + j]);
            }
            out.add(new Row(m));
        }
        return out;
    }

    /** Drops scored rows, so the figure is the scoring path alone. */
    private static final class Discard implements ResultSink {
        @Override
        public void write(List<Row> rows) {
        }

        @Override
        public void commit() {
        }

        @Override
        public String describe() {
            return "nowhere";
        }

        @Override
        public void close() {
        }
    }
}
