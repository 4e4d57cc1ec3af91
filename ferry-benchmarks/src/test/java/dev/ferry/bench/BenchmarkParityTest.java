package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure what they claim: in each one, Ferry and the direct runtime call compute
 * the same predictions from the same data, and the ONNX export of the XGBoost trees predicts what
 * XGBoost itself predicts (the reference here is XGBoost, which nobody here wrote).
 */
class BenchmarkParityTest {

    private static final int ROWS = 1000;

    @Test
    void ferryAndXGBoostInplacePredictGiveTheSameProbabilities() throws Exception {
        XGBoostPredictBenchmark b = new XGBoostPredictBenchmark();
        b.rows = ROWS;
        b.setUp();
        try {
            float[][] direct = b.direct();
            Map<String, Tensor> ferry = b.ferryPredict();
            List<Row> rows = b.ferryPredictRows();
            float[] p = ferry.get("probabilities").floats();
            assertThat(direct).hasNumberOfRows(ROWS);
            assertThat(rows).hasSize(ROWS);
            for (int r = 0; r < ROWS; r++) {
                assertThat(p[2 * r + 1]).as("row %d", r).isEqualTo(direct[r][0]);
                assertThat((float[]) rows.get(r).get("probabilities")).as("row %d", r)
                        .containsExactly(p[2 * r], p[2 * r + 1]);
            }
            assertThat(distinctLabels(ferry.get("label").longs())).as("both classes predicted").isEqualTo(2);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void ferryAndABareOnnxSessionGiveTheSameOutputsAndMatchXGBoostOnTheSameTrees() throws Exception {
        OnnxPredictBenchmark onnx = new OnnxPredictBenchmark();
        XGBoostPredictBenchmark xgb = new XGBoostPredictBenchmark();
        onnx.rows = ROWS;
        xgb.rows = ROWS;
        onnx.setUp();
        xgb.setUp();
        try {
            OnnxPredictBenchmark.Outputs direct = onnx.direct();
            Map<String, Tensor> ferry = onnx.ferryPredict();
            assertThat(ferry.get("probabilities").floats()).containsExactly(direct.probabilities());
            assertThat(ferry.get("label").longs()).containsExactly(direct.labels());
            List<Row> rows = onnx.ferryPredictRows();
            float[][] reference = xgb.direct();
            for (int r = 0; r < ROWS; r++) {
                assertThat((double) direct.probabilities()[2 * r + 1]).as("row %d", r)
                        .isCloseTo(reference[r][0], within(1e-5));
                assertThat(direct.labels()[r]).as("row %d", r).isEqualTo(reference[r][0] > 0.5f ? 1L : 0L);
                assertThat(rows.get(r).get("label")).isEqualTo(direct.labels()[r]);
            }
        } finally {
            onnx.tearDown();
            xgb.tearDown();
        }
    }

    @Test
    void ferryAndLightGbmPredictForMatGiveTheSameProbabilities() throws Exception {
        LightGbmPredictBenchmark b = new LightGbmPredictBenchmark();
        b.rows = ROWS;
        b.setUp();
        try {
            double[] direct = b.direct();
            Map<String, Tensor> ferry = b.ferryPredict();
            List<Row> rows = b.ferryPredictRows();
            double[] p = ferry.get("probabilities").doubles();
            assertThat(rows).hasSize(ROWS);
            for (int r = 0; r < ROWS; r++) {
                assertThat(p[2 * r + 1]).as("row %d", r).isEqualTo(direct[r]);
                assertThat((double[]) rows.get(r).get("probabilities")).as("row %d", r)
                        .containsExactly(p[2 * r], p[2 * r + 1]);
            }
            assertThat(distinctLabels(ferry.get("label").longs())).as("both classes predicted").isEqualTo(2);
        } finally {
            b.tearDown();
        }
    }

    /**
     * The online-read ratio compares reads of the same values: the bare MGET's bytes, decoded by
     * the plain per-value decoder, equal what the store and the read API answer, and both equal
     * the values the benchmark wrote (entity id / 2 + feature number).
     */
    @Test
    void theBareReadTheStoreReadAndTheReadApiReadTheSameValues() throws Exception {
        OnlineFeaturesBenchmark b = new OnlineFeaturesBenchmark();
        b.entities = 100;
        b.setUp();
        try {
            List<io.lettuce.core.KeyValue<byte[], byte[]>> bare = b.bareRead();
            List<dev.ferry.online.EntityFeatures> store = b.redis();
            dev.ferry.serving.OnlineFeatures.Response api = b.apiRedis();
            assertThat(bare).hasSize(100);
            assertThat(store).hasSize(100);
            assertThat(api.rows()).hasSize(100);
            for (int i = 0; i < 100; i++) {
                long id = (Long) b.keys.get(i).values().getFirst();
                Map<String, byte[]> entity = dev.ferry.online.ValueCodec.decodeEntity(bare.get(i).getValue());
                for (int f = 0; f < OnlineReadBenchmark.FEATURES; f++) {
                    String name = "feature_" + f;
                    Object plain = dev.ferry.online.ValueCodec.decode(entity.get(name)).value();
                    assertThat(plain).as("entity %d %s", id, name).isEqualTo(id * 0.5 + f);
                    assertThat(store.get(i).get(name).value()).isEqualTo(plain);
                    assertThat(api.get(i, name).value()).isEqualTo(plain);
                    assertThat(api.get(i, name).status()).isEqualTo(dev.ferry.online.FeatureStatus.PRESENT);
                }
            }
        } finally {
            b.tearDown();
        }
    }

    private static long distinctLabels(long[] labels) {
        return java.util.Arrays.stream(labels).distinct().count();
    }
}
