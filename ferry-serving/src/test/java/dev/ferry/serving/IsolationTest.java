package dev.ferry.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.DeadlineExceededException;
import dev.ferry.serving.testkit.LinearRuntime;
import dev.ferry.serving.testkit.Models;
import dev.ferry.types.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where model calls run ({@link Isolation}) and how the budget holds either way. */
class IsolationTest {

    @TempDir
    Path dir;
    EngineFixture fx;
    /** The thread of every feature fetch, which runs inside the model call. */
    final List<Thread> fetchedOn = new CopyOnWriteArrayList<>();
    /** How long each fetch busy-waits, ignoring interrupts as native code does. */
    volatile long busyNanos;
    /** Longest interruptible sleep of a fetch, in microseconds (a random share of it each time). */
    volatile long sleepMicros;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(dir);
        Models.linear(fx.registry, dir, "m", 1, 0, 0, "normal");
        Models.linear(fx.registry, dir, "slow", 1, 0, 0, "hang");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ServingEngine start(Isolation isolation, Duration period) {
        fx.engine = fx.builder().isolation(isolation).isolationPeriod(period).featureFetcher(r -> {
            fetchedOn.add(Thread.currentThread());
            long until = System.nanoTime() + busyNanos;
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            if (sleepMicros > 0) {
                try {
                    TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(sleepMicros));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("fetch interrupted", e);
                }
            }
            return fx.features.fetch(r);
        }).build();
        return fx.engine;
    }

    private static PredictRequest req() {
        return PredictRequest.of(Map.of("user_id", "u"), Map.of());
    }

    private static DeploymentSpec spec(String model, Duration budget) {
        return DeploymentSpec.builder("d").arm("main", new ModelRef(model, "1"), 1).budget(budget)
                .staticDefault(Map.of("score", -1.0)).build();
    }

    @Test
    void byDefaultAModelThatKeepsItsBudgetRunsOnTheCallersThread() {
        ServingEngine engine = start(Isolation.AUTO, Duration.ofSeconds(30));
        engine.deploy(spec("m", Duration.ofSeconds(30)));

        Prediction p = engine.predict("d", req());

        assertThat(p.source()).isEqualTo(AnswerSource.MODEL);
        assertThat(fetchedOn).containsExactly(Thread.currentThread());
    }

    @Test
    void threadIsolationRunsEveryCallOnTheExecutor() {
        ServingEngine engine = start(Isolation.THREAD, Duration.ofSeconds(30));
        engine.deploy(spec("m", Duration.ofSeconds(30)));

        Prediction p = engine.predict("d", req());

        assertThat(p.source()).isEqualTo(AnswerSource.MODEL);
        assertThat(fetchedOn).hasSize(1).doesNotContain(Thread.currentThread());
    }

    @Test
    void aBlockedInlineCallIsInterruptedAtItsDeadlineAndTheModelThenRunsIsolated() {
        ServingEngine engine = start(Isolation.AUTO, Duration.ofSeconds(30));
        engine.deploy(spec("slow", Duration.ofMillis(20)));
        LinearRuntime.HANG_ARMED = true;

        Prediction first = engine.predict("d", req());

        assertThat(first.source()).isEqualTo(AnswerSource.STATIC_DEFAULT);
        assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt is cleared").isFalse();
        assertThat(fetchedOn).containsExactly(Thread.currentThread());
        assertThat(fx.counter(ServingMetrics.ISOLATED, "model", "slow", "version", "1")).isEqualTo(1);

        Prediction second = engine.predict("d", req());

        assertThat(second.source()).isEqualTo(AnswerSource.STATIC_DEFAULT);
        assertThat(fetchedOn).hasSize(2);
        assertThat(fetchedOn.get(1)).as("the second call ran isolated").isNotSameAs(Thread.currentThread());
        assertThat(fx.counter(ServingMetrics.FALLBACKS, "cause", "timeout")).isEqualTo(2);
        assertThat(fx.counter(ServingMetrics.ISOLATED, "model", "slow", "version", "1")).isEqualTo(1);
    }

    @Test
    void anInlineCallThatCannotBeInterruptedIsStillATimeoutOnceItReturnsLate() {
        ServingEngine engine = start(Isolation.AUTO, Duration.ofSeconds(30));
        engine.deploy(spec("m", Duration.ofMillis(20)));
        busyNanos = TimeUnit.MILLISECONDS.toNanos(60);

        Prediction p = engine.predict("d", req());

        assertThat(p.source()).isEqualTo(AnswerSource.STATIC_DEFAULT);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(fx.counter(ServingMetrics.FALLBACKS, "cause", "timeout")).isEqualTo(1);
        assertThat(fx.counter(ServingMetrics.ISOLATED, "model", "m", "version", "1")).isEqualTo(1);
    }

    @Test
    void whileAnInlineCallIsStuckPastItsDeadlineTheNextRequestsRunIsolated() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stickOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        fx.engine = fx.builder().featureFetcher(r -> {
            fetchedOn.add(Thread.currentThread());
            if (stickOnce.compareAndSet(true, false)) {
                // stuck as native code would be: deaf to interrupts until released
                while (release.getCount() > 0) {
                    Thread.onSpinWait();
                }
            }
            return fx.features.fetch(r);
        }).build();
        fx.engine.deploy(spec("m", Duration.ofMillis(20)));
        java.util.concurrent.atomic.AtomicReference<Prediction> stuck = new java.util.concurrent.atomic.AtomicReference<>();
        Thread first = Thread.ofPlatform().start(() -> stuck.set(fx.engine.predict("d", req())));
        try {
            for (int i = 0; i < 500 && fx.counter(ServingMetrics.ISOLATED, "model", "m", "version", "1") == 0; i++) {
                Thread.sleep(10);
            }
            assertThat(fx.counter(ServingMetrics.ISOLATED, "model", "m", "version", "1")).as("isolated while still stuck").isEqualTo(1);

            Prediction next = fx.engine.predict("d", req());

            assertThat(next.source()).isEqualTo(AnswerSource.MODEL);
            assertThat(fetchedOn).hasSize(2);
            assertThat(fetchedOn.get(1)).as("the next request ran on the executor").isNotSameAs(Thread.currentThread());
        } finally {
            release.countDown();
            first.join();
        }
        assertThat(stuck.get().source()).isEqualTo(AnswerSource.STATIC_DEFAULT);
    }

    @Test
    void afterTheIsolationPeriodTheModelRunsInlineAgain() throws Exception {
        ServingEngine engine = start(Isolation.AUTO, Duration.ofSeconds(1));
        engine.deploy(spec("m", Duration.ofMillis(20)));
        busyNanos = TimeUnit.MILLISECONDS.toNanos(40);
        engine.predict("d", req());
        busyNanos = 0;

        engine.predict("d", req());
        assertThat(fetchedOn.get(1)).as("within the period: isolated").isNotSameAs(Thread.currentThread());

        Thread.sleep(1_100);
        Prediction p = engine.predict("d", req());

        assertThat(p.source()).isEqualTo(AnswerSource.MODEL);
        assertThat(fetchedOn.get(2)).as("after the period: inline").isSameAs(Thread.currentThread());
    }

    @Test
    void callsEndingAroundTheirDeadlineNeverLeaveTheCallerInterrupted() throws Exception {
        // no isolation period, so every call runs inline and races the watchdog near its deadline
        ServingEngine engine = start(Isolation.AUTO, Duration.ZERO);
        engine.deploy(spec("m", Duration.ofMillis(2)));
        sleepMicros = 4_000;
        List<Thread> callers = new ArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        int[] answered = new int[2];
        for (int t = 0; t < 4; t++) {
            callers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 150; i++) {
                    Prediction p = engine.predict("d", req());
                    synchronized (answered) {
                        answered[p.source() == AnswerSource.MODEL ? 0 : 1]++;
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        problems.add("caller left interrupted after a " + p.source() + " answer");
                        return;
                    }
                }
            }));
        }
        for (Thread t : callers) {
            t.join();
        }

        assertThat(problems).isEmpty();
        assertThat(answered[0] + answered[1]).isEqualTo(600);
        assertThat(answered[0]).as("some calls beat their deadline").isPositive();
        assertThat(answered[1]).as("some calls were cut off").isPositive();
        assertThat(fetchedOn).as("every call ran on its caller's thread").allMatch(callers::contains);
    }

    @Test
    void rawTensorInferenceKeepsItsBudgetInline() {
        fx.engine = fx.builder().inferBudget(Duration.ofMillis(20)).build();
        fx.engine.deploy(spec("slow", Duration.ofSeconds(30)));
        LinearRuntime.HANG_ARMED = true;
        Map<String, Tensor> in = Map.of("input", Tensor.ofDoubles("input", new long[] {1, 2}, new double[] {1, 2}));

        assertThatThrownBy(() -> fx.engine.infer("slow", Optional.of(1), "q", in)).isInstanceOf(DeadlineExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(fx.counter(ServingMetrics.ISOLATED, "model", "slow", "version", "1")).isEqualTo(1);
    }
}
