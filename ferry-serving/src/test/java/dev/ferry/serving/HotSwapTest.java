package dev.ferry.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.testkit.LinearRuntime;
import dev.ferry.serving.testkit.Models;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotSwapTest {

    @TempDir
    Path dir;
    EngineFixture fx;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void movingTheFollowedAliasUnderConcurrentLoadFailsNoRequestAndClosesOldVersions() throws Exception {
        Models.linear(fx.registry, dir, "m", 1, 0, 0, "normal");
        Models.linear(fx.registry, dir, "m", 2, 0, 0, "normal");
        fx.registry.setAlias("m", "champion", 1, "test", "start");
        int openBefore = LinearRuntime.OPEN.get();
        int closedCallsBefore = LinearRuntime.CALLS_AFTER_CLOSE.get();
        ServingEngine engine = fx.start();
        // a generous budget: this test is about swaps, not about the time budget
        engine.deploy(DeploymentSpec.builder("d").arm("main", new ModelRef("m", "champion"), 1).budget(Duration.ofSeconds(30)).build());

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong served = new AtomicLong();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        Prediction p = engine.predict("d", PredictRequest.of(Map.of(), Map.of("x1", 3.0, "x2", 0.0)));
                        double expected = 3.0 * p.version();
                        if (p.source() != AnswerSource.MODEL || !p.output().get("score").equals(expected)) {
                            problems.add("wrong answer " + p);
                        }
                        served.incrementAndGet();
                    } catch (RuntimeException e) {
                        problems.add(e.toString());
                    }
                }
            }));
        }
        for (int swap = 0; swap < 20; swap++) {
            long before = served.get();
            while (served.get() < before + 50) {
                Thread.onSpinWait();
            }
            fx.registry.setAlias("m", "champion", swap % 2 == 0 ? 2 : 1, "test", "swap " + swap);
            assertThat(engine.refresh()).containsExactly("d");
        }
        stop.set(true);
        for (Thread c : clients) {
            c.join();
        }

        assertThat(problems).isEmpty();
        assertThat(served.get()).isGreaterThan(1000);
        assertThat(LinearRuntime.CALLS_AFTER_CLOSE.get()).isEqualTo(closedCallsBefore);
        assertThat(engine.resolvedVersions("d")).containsEntry("arm:main", 1);
        assertThat(LinearRuntime.OPEN.get() - openBefore).as("only the serving version stays open").isEqualTo(1);
        engine.close();
        assertThat(LinearRuntime.OPEN.get()).isEqualTo(openBefore);
    }

    @Test
    void aRefreshAsksTheRegistryOnlyAboutReferencesThatCanMove() {
        Models.linear(fx.registry, dir, "m", 1, 0, 0, "normal");
        Models.linear(fx.registry, dir, "m", 2, 0, 0, "normal");
        fx.registry.setAlias("m", "champion", 1, "test", "start");
        ServingEngine engine = fx.start();
        engine.deploy(EngineFixture.spec("fixed").arm("a", new ModelRef("m", "1"), 50).arm("b", new ModelRef("m", "2"), 50).build());
        engine.deploy(EngineFixture.single("follow", new ModelRef("m", "champion")));
        fx.registry.resolved.clear();

        assertThat(engine.refresh()).isEmpty();
        fx.registry.setAlias("m", "champion", 2, "test", "move");
        assertThat(engine.refresh()).containsExactly("follow");

        assertThat(fx.registry.resolved).isNotEmpty().allMatch(r -> r.equals("m@champion"));
        assertThat(engine.predict("follow", PredictRequest.of(Map.of(), Map.of("x1", 1.0, "x2", 0.0))).version()).isEqualTo(2);
        assertThat(engine.resolvedVersions("fixed")).containsEntry("arm:a", 1).containsEntry("arm:b", 2);
    }
}
