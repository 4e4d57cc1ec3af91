package dev.ferry.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.types.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentPredictTest {

    private static final float[] COEF = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f};
    private static final float[] INTERCEPTS = {0.1f, -0.2f, 0.3f};

    @TempDir
    Path dir;

    @Test
    void manyThreadsPredictingAtOnceGetTheSameResultsAsOneThread() throws Exception {
        Path file = OnnxGraphs.write(OnnxGraphs.linearClassifierWithZipMap(List.of(0L, 1L, 2L), null, COEF, INTERCEPTS),
                dir.resolve("zip.onnx"));
        int threads = 8;
        int rounds = 50;
        List<Map<String, Tensor>> batches = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(5);
        for (int t = 0; t < threads; t++) {
            float[] x = new float[16 * 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            batches.add(Map.of("X", Tensor.ofFloats("X", new long[] {16, 2}, x)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Model model = ModelRuntimes.load(ModelFormat.ONNX, ModelLoadRequest.of(file))) {
            List<float[]> reference = new ArrayList<>();
            for (Map<String, Tensor> b : batches) {
                reference.add(model.predict(b).get("output_probability").floats());
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Map<String, Tensor> batch = batches.get(t);
                Callable<List<float[]>> task = () -> {
                    start.await();
                    List<float[]> seen = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        seen.add(model.predict(batch).get("output_probability").floats());
                    }
                    return seen;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                List<float[]> seen = futures.get(t).get();
                assertThat(seen).hasSize(rounds);
                for (float[] p : seen) {
                    assertThat(p).containsExactly(reference.get(t));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
