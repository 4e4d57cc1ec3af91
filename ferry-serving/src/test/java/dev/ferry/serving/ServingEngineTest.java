package dev.ferry.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.CapacityException;
import dev.ferry.DeadlineExceededException;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.ValidationFailedException;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.serving.testkit.Models;
import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingEngineTest {

    @TempDir
    Path dir;
    EngineFixture fx;
    ServingEngine engine;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(dir);
        engine = fx.start();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static PredictRequest req(String user, Map<String, Object> features) {
        return PredictRequest.of(Map.of("user_id", user), features);
    }

    @Test
    void predictionCombinesStoredAndRequestTimeFeaturesAndLogsThemAsServed() throws Exception {
        Models.linear(fx.registry, dir, "credit", 0.5, -1.0, 2.0, "normal");
        engine.deploy(EngineFixture.spec("credit").arm("main", new ModelRef("credit", "1"), 1).entityKeys("user_id").build());
        fx.features.put(Map.of("user_id", "u1"), Map.of("x1", 4.0, "x2", 100.0));

        Prediction p = engine.predict("credit", new PredictRequest(Optional.of("r-1"), Map.of("user_id", "u1"), Map.of("x2", 3.0)));

        assertThat((Double) p.output().get("score")).isEqualTo(2.0 + 0.5 * 4.0 - 1.0 * 3.0);
        assertThat(p).extracting(Prediction::requestId, Prediction::model, Prediction::version, Prediction::arm, Prediction::degraded)
                .containsExactly("r-1", "credit", 1, "main", false);
        engine.awaitLogWritten();
        PredictionRecord r = fx.log.records().get(0);
        assertThat(r.requestId()).isEqualTo("r-1");
        assertThat(r.features().values()).containsEntry("x1", 4.0).containsEntry("x2", 3.0);
        assertThat(r.output().get("score")).isEqualTo(1.0);
        assertThat(r.shadow()).isFalse();
    }

    @Test
    void missingStoredFeaturesMarkTheAnswerDegraded() {
        Models.linear(fx.registry, dir, "credit", 1, 1, 0, "normal");
        engine.deploy(EngineFixture.spec("credit").arm("main", new ModelRef("credit", "1"), 1).entityKeys("user_id").build());

        Prediction p = engine.predict("credit", req("nobody", Map.of("x2", 1.0)));

        assertThat(p.degraded()).isTrue();
        assertThat(p.source()).isEqualTo(AnswerSource.MODEL);
    }

    @Test
    void aFailingFeatureStoreDegradesInsteadOfFailing() {
        Models.linear(fx.registry, dir, "credit", 1, 1, 0, "normal");
        engine.close();
        engine = fx.builder().featureFetcher(r -> {
            throw new UnavailableException("store down");
        }).build();
        fx.engine = engine;
        engine.deploy(EngineFixture.single("credit", new ModelRef("credit", "1")));

        Prediction p = engine.predict("credit", req("u1", Map.of("x2", 1.0)));

        assertThat(p.degraded()).isTrue();
        assertThat(fx.counter(ServingMetrics.ERRORS, "kind", "feature_fetch")).isEqualTo(1);
    }

    @Test
    void aMissingEntityKeyIsRejectedNamingTheField() {
        Models.linear(fx.registry, dir, "credit", 1, 1, 0, "normal");
        engine.deploy(EngineFixture.spec("credit").arm("main", new ModelRef("credit", "1"), 1).entityKeys("user_id").build());

        assertThatThrownBy(() -> engine.predict("credit", PredictRequest.of(Map.of(), Map.of())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("entity.user_id");
        assertThatThrownBy(() -> engine.predict("credit", req("u", Map.of("x9", 1.0))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("features.x9");
        assertThatThrownBy(() -> engine.predict("credit", req("u", Map.of("x1", "high"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("features.x1");
    }

    @Test
    void anUnknownDeploymentIsNotFound() {
        assertThatThrownBy(() -> engine.predict("nope", req("u", Map.of()))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aVersionFailingItsGoldenExamplesAtLoadNeverServesAndTheOldOneStays() {
        ModelVersion good = Models.linear(fx.registry, dir, "credit", 1, 1, 0, "normal");
        engine.deploy(EngineFixture.single("credit", new ModelRef("credit", "1")));
        ModelVersion lying = new ModelVersion("credit", 0, good.format(), good.runtimeVersion(), good.signature(), "", 0, "",
                good.provenance(), List.of(new GoldenExample(Map.of("x1", 1.0, "x2", 1.0), Map.of("score", 42.0), 1e-9)),
                "test", good.createdAt(), "wrong golden");
        Path artifact = Models.write(dir, "credit", "layout packed\nfeatures x1:float64 x2:float64\nweights 1 1\nbias 0\n");
        fx.registry.registerUnchecked(lying, artifact);

        assertThatThrownBy(() -> engine.deploy(EngineFixture.single("credit", new ModelRef("credit", "2"))))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("golden example 0");
        assertThat(engine.predict("credit", req("u", Map.of("x1", 1.0, "x2", 1.0))).version()).isEqualTo(1);
    }

    @Test
    void aFailingModelFallsBackToTheFallbackModel() {
        Models.linear(fx.registry, dir, "broken", 1, 1, 0, "throw");
        Models.linear(fx.registry, dir, "simple", 10, 0, 0, "normal");
        engine.deploy(EngineFixture.spec("d").arm("main", new ModelRef("broken", "1"), 1).fallback(new ModelRef("simple", "1")).build());

        Prediction p = engine.predict("d", req("u", Map.of("x1", 2.0, "x2", 0.0)));

        assertThat(p.source()).isEqualTo(AnswerSource.FALLBACK_MODEL);
        assertThat(p.degraded()).isTrue();
        assertThat(p.model()).isEqualTo("simple");
        assertThat(p.output().get("score")).isEqualTo(20.0);
    }

    @Test
    void withoutAFallbackModelAPrecomputedAnswerThenTheStaticDefaultAnswers() {
        Models.linear(fx.registry, dir, "broken", 1, 1, 0, "throw");
        engine.deploy(EngineFixture.spec("d").arm("main", new ModelRef("broken", "1"), 1)
                .staticDefault(Map.of("score", 0.5)).build());
        fx.precomputed.put("d", Map.of("user_id", "known"), Row.of("score", 0.9));

        Prediction known = engine.predict("d", req("known", Map.of()));
        Prediction unknown = engine.predict("d", req("other", Map.of()));

        assertThat(known.source()).isEqualTo(AnswerSource.PRECOMPUTED);
        assertThat(known.output().get("score")).isEqualTo(0.9);
        assertThat(unknown.source()).isEqualTo(AnswerSource.STATIC_DEFAULT);
        assertThat(unknown.output().get("score")).isEqualTo(0.5);
        assertThat(unknown.degraded()).isTrue();
        assertThat(fx.counter(ServingMetrics.FALLBACKS, "deployment", "d")).isEqualTo(2);
    }

    @Test
    void aModelErrorWithNoFallbackAtAllIsUnavailable() {
        Models.linear(fx.registry, dir, "broken", 1, 1, 0, "throw");
        engine.deploy(EngineFixture.single("d", new ModelRef("broken", "1")));

        assertThatThrownBy(() -> engine.predict("d", req("u", Map.of()))).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("configured to fail");
    }

    @Test
    void aModelThatRunsOutOfItsBudgetIsAnsweredByTheFallbackChain() {
        Models.linear(fx.registry, dir, "slow", 1, 1, 0, "hang");
        engine.deploy(EngineFixture.spec("d").arm("main", new ModelRef("slow", "1"), 1).budget(Duration.ofMillis(20))
                .staticDefault(Map.of("score", 0.0)).build());
        dev.ferry.serving.testkit.LinearRuntime.HANG_ARMED = true;

        Prediction p = engine.predict("d", req("u", Map.of()));

        assertThat(p.source()).isEqualTo(AnswerSource.STATIC_DEFAULT);
        assertThat(fx.counter(ServingMetrics.FALLBACKS, "cause", "timeout")).isEqualTo(1);
    }

    @Test
    void aModelThatRunsOutOfItsBudgetWithoutFallbackIsATimeout() {
        Models.linear(fx.registry, dir, "slow", 1, 1, 0, "hang");
        engine.deploy(EngineFixture.spec("d").arm("main", new ModelRef("slow", "1"), 1).budget(Duration.ofMillis(20)).build());
        dev.ferry.serving.testkit.LinearRuntime.HANG_ARMED = true;

        assertThatThrownBy(() -> engine.predict("d", req("u", Map.of()))).isInstanceOf(DeadlineExceededException.class);
    }

    @Test
    void aBatchIsAnsweredInOrderAndItsSizeIsBounded() {
        Models.linear(fx.registry, dir, "m", 1, 0, 0, "normal");
        engine.deploy(EngineFixture.single("d", new ModelRef("m", "1")));
        List<PredictRequest> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(req("u" + i, Map.of("x1", (double) i, "x2", 0.0)));
        }

        List<Prediction> out = engine.predictBatch("d", batch);

        for (int i = 0; i < 50; i++) {
            assertThat(out.get(i).output().get("score")).isEqualTo((double) i);
        }
        List<PredictRequest> tooMany = java.util.Collections.nCopies(1001, req("u", Map.of()));
        assertThatThrownBy(() -> engine.predictBatch("d", tooMany)).isInstanceOf(CapacityException.class);
    }

    @Test
    void rankingFetchesOnceForAllCandidatesAndReturnsTheTopK() {
        Models.linear(fx.registry, dir, "ranker", 1, 0, 0, "normal");
        AtomicInteger fetches = new AtomicInteger();
        engine.close();
        engine = fx.builder().featureFetcher(r -> {
            fetches.incrementAndGet();
            return fx.features.fetch(r);
        }).build();
        fx.engine = engine;
        engine.deploy(EngineFixture.spec("rank").arm("main", new ModelRef("ranker", "1"), 1).entityKeys("user_id").build());
        double[] quality = {0.3, 0.9, 0.1, 0.7, 0.5};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < quality.length; i++) {
            fx.features.put(Map.of("user_id", "u", "item_id", "i" + i), Map.of("x1", quality[i], "x2", 0.0));
            ids.add("i" + i);
        }

        Ranking r = engine.rank("rank", new RankRequest(Optional.empty(), Map.of("user_id", "u"), "item_id", ids, Map.of(), 3));

        assertThat(r.items()).extracting(Ranking.Scored::id).containsExactly("i1", "i3", "i4");
        assertThat(r.items()).extracting(Ranking.Scored::score).containsExactly(0.9, 0.7, 0.5);
        assertThat(fetches).hasValue(1);
        List<String> tooMany = java.util.Collections.nCopies(1001, "x");
        assertThatThrownBy(() -> new RankRequest(Optional.empty(), Map.of(), "item_id", tooMany, Map.of(), 3))
                .isInstanceOf(CapacityException.class);
    }

    @Test
    void rawTensorInferenceChecksInputsAgainstTheSignature() {
        Models.typed(fx.registry, dir, "typed");
        engine.deploy(EngineFixture.single("typed", new ModelRef("typed", "1")));
        Map<String, Tensor> in = new java.util.HashMap<>();
        in.put("b", Tensor.ofBools("b", new long[] {2}, new boolean[] {true, false}));
        in.put("i", Tensor.ofInts("i", new long[] {2}, new int[] {1, 2}));
        in.put("l", Tensor.ofLongs("l", new long[] {2}, new long[] {10, 20}));
        in.put("f", Tensor.ofFloats("f", new long[] {2}, new float[] {0.5f, 0.25f}));
        in.put("d", Tensor.ofDoubles("d", new long[] {2}, new double[] {100, 200}));
        in.put("s", Tensor.ofStrings("s", new long[] {2}, new String[] {"abc", ""}));
        in.put("v", Tensor.ofFloats("v", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));

        InferResult r = engine.infer("typed", Optional.of(1), "q", in);

        assertThat(r.outputs().get("score").doubles()).containsExactly(1 + 1 + 10 + 0.5 + 100 + 3 + 6, 0 + 2 + 20 + 0.25 + 200 + 0 + 15);
        try {
            engine.awaitLogWritten();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        PredictionRecord logged = fx.log.records().get(0);
        assertThat(logged.arm()).isEqualTo("infer");
        assertThat((double[]) logged.features().get("d")).containsExactly(100, 200);
        in.put("d", Tensor.ofFloats("d", new long[] {2}, new float[] {1, 2}));
        assertThatThrownBy(() -> engine.infer("typed", Optional.of(1), "q", in)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'d'").hasMessageContaining("FP64");
        assertThatThrownBy(() -> engine.infer("typed", Optional.of(7), "q", in)).isInstanceOf(NotFoundException.class);
    }
}
