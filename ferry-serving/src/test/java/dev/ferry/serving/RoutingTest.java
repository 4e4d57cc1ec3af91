package dev.ferry.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.testkit.LinearRuntime;
import dev.ferry.serving.testkit.Models;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingTest {

    @TempDir
    Path dir;
    EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(dir);
        Models.linear(fx.registry, dir, "m", 1, 0, 0, "normal");
        Models.linear(fx.registry, dir, "m", 2, 0, 0, "normal");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static PredictRequest user(int i) {
        return PredictRequest.of(Map.of("user_id", "user-" + i), Map.of("x1", 1.0, "x2", 0.0));
    }

    /** Five standard deviations of a binomial count: a fair split fails this about once in 1.7 million runs. */
    private static void assertBinomial(int count, int n, double p) {
        double sd = Math.sqrt(n * p * (1 - p));
        assertThat((double) count).isBetween(n * p - 5 * sd, n * p + 5 * sd);
    }

    @Test
    void anABTestSplitsByWeightAndKeepsEachEntityOnItsArm() {
        ServingEngine engine = fx.start();
        engine.deploy(EngineFixture.spec("ab").arm("a", new ModelRef("m", "1"), 1).arm("b", new ModelRef("m", "2"), 1)
                .entityKeys("user_id").build());
        Map<Integer, String> first = new HashMap<>();
        int n = 4000;
        int b = 0;
        for (int i = 0; i < n; i++) {
            Prediction p = engine.predict("ab", user(i));
            first.put(i, p.arm());
            assertThat(p.version()).isEqualTo(p.arm().equals("a") ? 1 : 2);
            b += p.arm().equals("b") ? 1 : 0;
        }
        for (int i = 0; i < n; i += 7) {
            assertThat(engine.predict("ab", user(i)).arm()).isEqualTo(first.get(i));
        }
        assertBinomial(b, n, 0.5);
    }

    @Test
    void aCanaryGetsItsPercentageOfEntities() {
        ServingEngine engine = fx.start();
        engine.deploy(EngineFixture.spec("c").arm("stable", new ModelRef("m", "1"), 90).arm("canary", new ModelRef("m", "2"), 10)
                .entityKeys("user_id").build());
        int n = 10_000;
        int canary = 0;
        for (int i = 0; i < n; i++) {
            canary += engine.predict("c", user(i)).arm().equals("canary") ? 1 : 0;
        }
        assertBinomial(canary, n, 0.10);

        engine.setShare("c", "canary", 30);
        int after = 0;
        for (int i = 0; i < n; i++) {
            after += engine.predict("c", user(i)).arm().equals("canary") ? 1 : 0;
        }
        assertBinomial(after, n, 0.30);
    }

    @Test
    void promotingAndRollingBackChangeTheRouting() {
        ServingEngine engine = fx.start();
        engine.deploy(DeploymentSpec.canary("c", new ModelRef("m", "1"), new ModelRef("m", "2"), 10).toBuilder().budget(Duration.ofSeconds(30)).build());

        engine.promote("c", "canary");
        for (int i = 0; i < 50; i++) {
            assertThat(engine.predict("c", user(i)).version()).isEqualTo(2);
        }
        engine.rollback("c");
        assertThat(engine.deployment("c").orElseThrow().arms()).hasSize(2);
    }

    @Test
    void aShadowThatThrowsChangesNothingForTheCaller() throws Exception {
        Models.linear(fx.registry, dir, "bad", 1, 1, 1, "throw");
        // room for every mirrored call, so the count below cannot be cut by drops on a slow machine
        ServingEngine engine = fx.builder().shadowExecutor(Executors.newVirtualThreadPerTaskExecutor(), 1000).build();
        fx.engine = engine;
        engine.deploy(EngineFixture.spec("s").arm("main", new ModelRef("m", "1"), 1).shadow(new ModelRef("bad", "1"), 1.0).build());

        for (int i = 0; i < 200; i++) {
            Prediction p = engine.predict("s", PredictRequest.of(Map.of(), Map.of("x1", (double) i, "x2", 0.0)));
            assertThat(p.output().get("score")).isEqualTo((double) i);
            assertThat(p.degraded()).isFalse();
            assertThat(p.source()).isEqualTo(AnswerSource.MODEL);
        }
        awaitCount(() -> fx.counter(ServingMetrics.SHADOW, "deployment", "s", "outcome", "error"), 200);
    }

    @Test
    void aShadowThatHangsIsDroppedWhenItsPermitsRunOutAndNeverSlowsTheCaller() throws Exception {
        Models.linear(fx.registry, dir, "slow", 1, 1, 1, "hang");
        ServingEngine engine = fx.builder().shadowExecutor(Executors.newVirtualThreadPerTaskExecutor(), 4).build();
        fx.engine = engine;
        engine.deploy(EngineFixture.spec("s").arm("main", new ModelRef("m", "1"), 1).shadow(new ModelRef("slow", "1"), 1.0).build());
        LinearRuntime.HANG_ARMED = true;

        for (int i = 0; i < 100; i++) {
            Prediction p = engine.predict("s", PredictRequest.of(Map.of(), Map.of("x1", 3.0, "x2", 0.0)));
            assertThat(p.output().get("score")).isEqualTo(3.0);
        }
        assertThat(fx.counter(ServingMetrics.SHADOW, "outcome", "dropped")).isEqualTo(96);
        LinearRuntime.HANG.countDown();
    }

    @Test
    void shadowPredictionsAreLoggedButNotReturned() throws Exception {
        ServingEngine engine = fx.start();
        engine.deploy(EngineFixture.spec("s").arm("main", new ModelRef("m", "1"), 1).shadow(new ModelRef("m", "2"), 1.0).build());

        Prediction p = engine.predict("s", new PredictRequest(java.util.Optional.of("q1"), Map.of(), Map.of("x1", 5.0, "x2", 0.0)));

        assertThat(p.output().get("score")).isEqualTo(5.0);
        awaitCount(() -> fx.log.records().size(), 2);
        PredictionRecord shadow = fx.log.records().stream().filter(PredictionRecord::shadow).findFirst().orElseThrow();
        assertThat(shadow.requestId()).isEqualTo("q1");
        assertThat(shadow.version()).isEqualTo(2);
        assertThat(shadow.output().get("score")).isEqualTo(10.0);
    }

    /** Waits for an asynchronous count to arrive (bounded, so a bug fails instead of hanging). */
    static void awaitCount(java.util.function.DoubleSupplier count, double expected) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (count.getAsDouble() < expected && System.nanoTime() < end) {
            Thread.onSpinWait();
            Thread.sleep(1);
        }
        assertThat(count.getAsDouble()).isEqualTo(expected);
    }
}
