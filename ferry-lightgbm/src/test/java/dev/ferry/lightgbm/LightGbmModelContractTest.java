package dev.ferry.lightgbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.NotReadyException;
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
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input, bad artifacts, concurrency and close: what the Model seam promises callers. */
class LightGbmModelContractTest {

    @TempDir
    Path dir;

    private static Model load(Path file) {
        return ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(file));
    }

    private static Map<String, Tensor> input(double[] x, int rows, int cols) {
        return Map.of("input", Tensor.ofDoubles("input", new long[] {rows, cols}, x));
    }

    @Test
    void aTensorWithTheWrongFeatureCountIsRefusedNamingTheExpectedShape() {
        try (Trained t = Trained.binary(11, 0); Model model = load(t.save(dir, "m.txt"))) {
            assertThatThrownBy(() -> model.predict(input(new double[8], 2, 4)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("input 'input' has shape [2, 4]").hasMessageContaining("[-1, 3]");
        }
    }

    @Test
    void aFloat32TensorOrAnUnknownInputNameIsRefused() {
        try (Trained t = Trained.binary(12, 0); Model model = load(t.save(dir, "m.txt"))) {
            Tensor floats = Tensor.ofFloats("input", new long[] {1, 3}, new float[3]);
            assertThatThrownBy(() -> model.predict(Map.of("input", floats)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("FP32").hasMessageContaining("FP64");
            assertThatThrownBy(() -> model.predict(Map.of("x", floats.withName("x"))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'x'").hasMessageContaining("'input'");
            assertThatThrownBy(() -> model.predict(Map.of()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'input' is missing");
        }
    }

    @Test
    void aRowValueOfTheWrongTypeIsRefusedNamingRowFeatureAndType() {
        try (Trained t = Trained.binary(13, 0); Model model = load(t.save(dir, "m.txt"))) {
            List<Row> rows = List.of(Row.of("a", 1.0, "b", 2.0, "c", 3.0), Row.of("a", 1.0, "b", "tall", "c", 3.0));
            assertThatThrownBy(() -> model.predictRows(rows))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("row 1").hasMessageContaining("'b'").hasMessageContaining("float64");
        }
    }

    @Test
    void aFileThatIsNotALightGbmModelIsRefusedNamingTheFile() throws Exception {
        Path csv = Files.writeString(dir.resolve("notes.txt"), "a,b,c\n1,2,3\n");
        assertThatThrownBy(() -> load(csv)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(csv.toString()).hasMessageContaining("not a LightGBM text model");
        Path broken = Files.writeString(dir.resolve("broken.txt"), "tree\nversion=v4\nnum_class=oops\n");
        assertThatThrownBy(() -> load(broken)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(broken.toString()).hasMessageContaining("LightGBM can read");
        Path binary = Files.write(dir.resolve("model.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertThatThrownBy(() -> load(binary)).isInstanceOf(InvalidInputException.class).hasMessageContaining(binary.toString());
        assertThatThrownBy(() -> load(dir.resolve("absent.txt"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("absent.txt");
    }

    @Test
    void aClaimedSignatureWithAnotherFeatureCountFailsValidation() {
        try (Trained t = Trained.binary(14, 0)) {
            ModelSignature two = new ModelSignature(List.of(Field.of("a", FeatureType.FLOAT64), Field.of("b", FeatureType.FLOAT64)),
                    InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, 2)), List.of(), Map.of());
            Path file = t.save(dir, "m.txt");
            assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(file, two)))
                    .isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("2 features").hasMessageContaining("has 3");
        }
    }

    @Test
    void aClaimedSignatureGivingCategoriesToANumericalFeatureFailsValidation() {
        try (Trained t = Trained.regression(19, true)) {
            ModelSignature claimed = new ModelSignature(
                    List.of(Field.of("color", FeatureType.INT64), Field.of("u", FeatureType.STRING), Field.of("v", FeatureType.FLOAT64)),
                    InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, 3)), List.of(),
                    Map.of("u", List.of("low", "high")));
            Path file = t.save(dir, "m.txt");
            assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(file, claimed)))
                    .isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("'u'").hasMessageContaining("categorical positions are [0]");
        }
    }

    @Test
    void aFeatureNameFerryCannotUseIsRefusedUntilASignatureNamesTheFeatures() {
        double[] x = new double[60];
        float[] y = new float[20];
        for (int r = 0; r < 20; r++) {
            x[r * 3] = r;
            x[r * 3 + 1] = r % 3;
            x[r * 3 + 2] = -r;
            y[r] = r;
        }
        try (Trained t = Trained.train(x, 20, 3, y, new String[] {"1st", "b", "c"},
                "objective=regression min_data_in_leaf=2 min_data_in_bin=1 verbose=-1 num_threads=1", 3)) {
            Path file = t.save(dir, "m.txt");
            assertThatThrownBy(() -> load(file)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'1st'").hasMessageContaining("signature");
            ModelSignature named = new ModelSignature(
                    List.of(Field.of("first", FeatureType.FLOAT64), Field.of("b", FeatureType.FLOAT64), Field.of("c", FeatureType.FLOAT64)),
                    InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, 3)), List.of(), Map.of());
            try (Model model = ModelRuntimes.load(ModelFormat.LIGHTGBM, ModelLoadRequest.of(file, named))) {
                double direct = t.direct(new double[] {5, 2, -5}, 1, com.microsoft.ml.lightgbm.PredictionType.C_API_PREDICT_NORMAL)[0];
                assertThat((double) model.predictRows(List.of(Row.of("first", 5.0, "b", 2.0, "c", -5.0))).get(0).get("prediction"))
                        .isEqualTo(direct);
            }
        }
    }

    @Test
    void unknownOrMalformedOptionsAreRefusedAndThreadCountsDoNotChangeResults() {
        try (Trained t = Trained.binary(15, 0)) {
            Path file = t.save(dir, "m.txt");
            assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.LIGHTGBM,
                    new ModelLoadRequest(file, Optional.empty(), Map.of("rawscore", "true"))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("rawscore").hasMessageContaining("raw_score");
            assertThatThrownBy(() -> ModelRuntimes.load(ModelFormat.LIGHTGBM,
                    new ModelLoadRequest(file, Optional.empty(), Map.of("threads", "many"))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'many'");
            try (Model openMp = ModelRuntimes.load(ModelFormat.LIGHTGBM,
                    new ModelLoadRequest(file, Optional.empty(), Map.of("threads", "0")));
                 Model one = load(file)) {
                Map<String, Tensor> in = input(t.x, t.rows, t.cols);
                assertThat(openMp.predict(in).get("probabilities").doubles())
                        .containsExactly(one.predict(in).get("probabilities").doubles());
            }
        }
    }

    @Test
    void concurrentPredictionsAndContributionsOnOneModelGiveTheSameResultsAsOneThread() throws Exception {
        try (Trained t = Trained.multiclass(16); Model model = load(t.save(dir, "m.txt"))) {
            List<Map<String, Tensor>> batches = new ArrayList<>();
            List<double[]> expectedProbabilities = new ArrayList<>();
            List<double[]> expectedShap = new ArrayList<>();
            for (int b = 0; b < 8; b++) {
                int rows = 1 + b * 7;
                Map<String, Tensor> in = input(Arrays.copyOfRange(t.x, b * 4, (b + rows) * 4), rows, 4);
                batches.add(in);
                expectedProbabilities.add(model.predict(in).get("probabilities").doubles());
                expectedShap.add(model.contributions(in).orElseThrow().doubles());
            }
            int threads = 6;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    int worker = w;
                    results.add(pool.submit(() -> {
                        start.await();
                        int checked = 0;
                        for (int i = 0; i < 200; i++) {
                            int b = (worker + i) % batches.size();
                            if (i % 5 == worker % 5) {
                                assertThat(model.contributions(batches.get(b)).orElseThrow().doubles())
                                        .containsExactly(expectedShap.get(b));
                            } else {
                                assertThat(model.predict(batches.get(b)).get("probabilities").doubles())
                                        .containsExactly(expectedProbabilities.get(b));
                            }
                            checked++;
                        }
                        return checked;
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> f : results) {
                    total += f.get();
                }
                assertThat(total).isEqualTo(threads * 200);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closeFreesTheBoosterOnceAndLaterPredictionsAreRefused() {
        try (Trained t = Trained.binary(17, 0)) {
            Model model = load(t.save(dir, "m.txt"));
            Map<String, Tensor> in = input(Arrays.copyOf(t.x, 3), 1, 3);
            assertThat(model.predict(in)).containsKeys("probabilities", "label");
            model.close();
            model.close();
            assertThatThrownBy(() -> model.predict(in)).isInstanceOf(NotReadyException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> model.contributions(in)).isInstanceOf(NotReadyException.class);
        }
    }

    @Test
    void manyLoadsAndClosesOfTheSameFileKeepGivingTheSameAnswer() {
        try (Trained t = Trained.regression(18, true)) {
            Path file = t.save(dir, "m.txt");
            Map<String, Tensor> in = input(Arrays.copyOf(t.x, 30), 10, 3);
            double[] first;
            try (Model m = load(file)) {
                first = m.predict(in).get("prediction").doubles();
            }
            for (int i = 0; i < 20; i++) {
                try (Model m = load(file)) {
                    assertThat(m.predict(in).get("prediction").doubles()).containsExactly(first);
                }
            }
        }
    }
}
