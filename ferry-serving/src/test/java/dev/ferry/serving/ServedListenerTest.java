package dev.ferry.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.serving.testkit.Models;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedListenerTest {

    @TempDir
    Path dir;
    EngineFixture fx;
    ServingEngine engine;
    final List<ServedRequest> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(dir);
        engine = fx.start();
        engine.addListener(heard::add);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static PredictRequest req(String user, Map<String, Object> features) {
        return PredictRequest.of(Map.of("user_id", user), features);
    }

    @Test
    void anAnsweredRequestIsHeardWithItsArmModelAndAnswer() {
        Models.linear(fx.registry, dir, "credit", 1, 1, 0, "normal");
        engine.deploy(EngineFixture.single("d", new ModelRef("credit", "1")));
        engine.predict("d", req("u", Map.of("x1", 1.0, "x2", 2.0)));

        assertThat(heard).hasSize(1);
        ServedRequest r = heard.getFirst();
        assertThat(r).extracting(ServedRequest::deployment, ServedRequest::arm, ServedRequest::model, ServedRequest::version,
                ServedRequest::shadow, ServedRequest::outcome).containsExactly("d", "main", "credit", 1, false, ServedRequest.Outcome.ANSWERED);
        assertThat(r.output().orElseThrow().get("score")).isEqualTo(3.0);
        assertThat(r.latencyNanos()).isPositive();
    }

    @Test
    void aFailureIsHeardAsFailedAndAnAnswerFromTheFallbackChainAsFallback() {
        Models.linear(fx.registry, dir, "broken", 1, 1, 0, "throw");
        engine.deploy(EngineFixture.single("bare", new ModelRef("broken", "1")));
        engine.deploy(EngineFixture.spec("safe").arm("main", new ModelRef("broken", "1"), 1).staticDefault(Map.of("score", 0.5)).build());

        assertThatThrownBy(() -> engine.predict("bare", req("u", Map.of())));
        engine.predict("safe", req("u", Map.of()));

        assertThat(heard).extracting(ServedRequest::deployment, ServedRequest::model, ServedRequest::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bare", "broken", ServedRequest.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("safe", "broken", ServedRequest.Outcome.FALLBACK));
        assertThat(heard).allSatisfy(r -> assertThat(r.output()).isEmpty());
    }

    @Test
    void aShadowCallIsHeardAsShadowAndAThrowingListenerFailsNothing() throws Exception {
        Models.linear(fx.registry, dir, "credit", 1, 1, 0, "normal");
        Models.linear(fx.registry, dir, "credit", 2, 2, 0, "normal");
        engine.deploy(EngineFixture.spec("d").arm("main", new ModelRef("credit", "1"), 1).shadow(new ModelRef("credit", "2"), 1.0).build());
        AutoCloseable noisy = engine.addListener(r -> {
            throw new IllegalStateException("a listener bug");
        });

        Prediction p = engine.predict("d", req("u", Map.of("x1", 1.0, "x2", 1.0)));
        assertThat(p.output().get("score")).isEqualTo(2.0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (heard.stream().noneMatch(ServedRequest::shadow) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        ServedRequest shadow = heard.stream().filter(ServedRequest::shadow).findFirst().orElseThrow();
        assertThat(shadow.version()).isEqualTo(2);
        assertThat(shadow.arm()).isEqualTo("shadow");
        assertThat(shadow.output().orElseThrow().get("score")).isEqualTo(4.0);

        noisy.close();
        int before = heard.size();
        engine.predict("d", req("v", Map.of("x1", 1.0, "x2", 1.0)));
        assertThat(heard.size()).isGreaterThan(before);
    }
}
