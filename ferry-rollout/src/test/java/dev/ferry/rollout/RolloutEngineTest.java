package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ConflictException;
import dev.ferry.InvalidInputException;
import dev.ferry.serving.Arm;
import dev.ferry.serving.ModelRef;
import dev.ferry.serving.ServingEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutEngineTest {

    @TempDir
    Path dir;
    RolloutFixture f;
    final List<Transition> audit = new ArrayList<>();

    @BeforeEach
    void setUp() {
        f = new RolloutFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private RolloutEngine engine(ServingEngine serving, RolloutStore store) {
        RolloutEngine e = f.rollouts(serving, store).listener((s, t) -> audit.add(t)).build();
        f.closeables.add(e);
        return e;
    }

    /**
     * A quick plan: each stage needs a minute and 200 requests per side; the watch lasts five
     * minutes. The latency allowance is wide because wall-clock latencies on a shared test machine
     * are noise; {@code GatesTest} tests the latency gate on fixed figures.
     */
    static RolloutPlan plan(String candidate) {
        GateThresholds d = GateThresholds.DEFAULTS;
        return RolloutPlan.of(RolloutFixture.DEPLOYMENT, ModelRef.parse(candidate))
                .withStages(RolloutPlan.DEFAULT_STEPS, Duration.ofMinutes(1), 200, Duration.ofMinutes(5))
                .withOffline(new RolloutPlan.OfflineCheck("auc", true, 0.01))
                .withGates(new GateThresholds(d.confidence(), d.errorMargin(), d.fallbackMargin(), d.latencyTolerance(), 60_000,
                        d.maxDivergence()));
    }

    /** Rounds of traffic, a tick and a minute on the clock, until the rollout reaches {@code stage} (at most {@code rounds}). */
    static RolloutState runUntil(RolloutFixture f, ServingEngine serving, RolloutEngine engine, String id, int perRound, int rounds,
                                 Stage... stages) {
        for (int i = 0; i < rounds; i++) {
            f.traffic(serving, perRound);
            engine.tick();
            RolloutState s = engine.status(id);
            if (List.of(stages).contains(s.stage())) {
                return s;
            }
            f.clock.advance(Duration.ofMinutes(1));
        }
        return engine.status(id);
    }

    @Test
    void anEqualCandidateGoesThroughEveryStageToFullTraffic() {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.81, "");
        ServingEngine serving = f.serving("credit@1");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        RolloutState s = rollouts.start(plan("credit@2"), "alice");

        s = runUntil(f, serving, rollouts, s.id(), 4_000, 40, Stage.COMPLETED, Stage.ROLLED_BACK);

        assertThat(s.stage()).as(s.failure().map(GateResult::message).orElse("")).isEqualTo(Stage.COMPLETED);
        assertThat(s.history()).extracting(Transition::to).containsExactly("OFFLINE", "SHADOW", "CANARY 5%", "CANARY 10%",
                "CANARY 25%", "FULL", "WATCH", "COMPLETED");
        assertThat(audit).extracting(Transition::to).containsExactlyElementsOf(s.history().stream().map(Transition::to).toList());
        assertThat(serving.deployment("credit").orElseThrow().arms()).containsExactly(new Arm("main", ModelRef.parse("credit@2"), 1));
        assertThat(serving.deployment("credit").orElseThrow().shadow()).isEmpty();
        assertThat(f.traffic(serving, 200)).containsExactly(Map.entry("credit@2", 200));
    }

    @Test
    void theCanaryLadderSetsTheWeightsThroughTheDeploymentApi() {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.80, "");
        ServingEngine serving = f.serving("credit@1");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        RolloutState s = rollouts.start(plan("credit@2"), "alice");
        rollouts.tick();
        assertThat(serving.deployment("credit").orElseThrow().shadow().orElseThrow().target()).isEqualTo(ModelRef.parse("credit@2"));
        rollouts.promote(s.id(), "alice");
        assertThat(serving.deployment("credit").orElseThrow().arms()).containsExactly(
                new Arm("main", ModelRef.parse("credit@1"), 95), new Arm("candidate", ModelRef.parse("credit@2"), 5));
        Map<String, Integer> split = f.traffic(serving, 4_000);
        // 5 % of 4,000 is 200; a binomial's 99.99 % interval is about +-55
        assertThat(split.get("credit@2")).isBetween(145, 255);
    }

    @Test
    void aCandidateThatFailsOnAShareOfRequestsIsRolledBackAtTheCanaryStage() {
        f.model(1, 1, 0, 0.80, "");
        // fails whenever x1 > 0.8: about a fifth of requests
        f.model(1, 1, 0, 0.82, "behavior fail_above\nfail_above 0.8\n");
        ServingEngine serving = f.serving("credit@1");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        RolloutState s = rollouts.start(plan("credit@2"), "alice");
        rollouts.tick();
        assertThat(rollouts.status(s.id()).stage()).isEqualTo(Stage.SHADOW);
        // the shadow stage would catch it too; skip it by hand so the canary's gates are the ones tested
        rollouts.promote(s.id(), "alice");

        RolloutState done = runUntil(f, serving, rollouts, s.id(), 4_000, 10, Stage.ROLLED_BACK, Stage.COMPLETED);

        assertThat(done.stage()).isEqualTo(Stage.ROLLED_BACK);
        assertThat(done.history().getLast().from()).isEqualTo("CANARY 5%");
        GateResult failed = done.failure().orElseThrow();
        assertThat(failed.gate()).isEqualTo("error_rate");
        assertThat(failed.figures().get("candidate_rate")).isBetween(0.1, 0.3);
        assertThat(failed.figures().get("champion_rate")).isZero();
        assertThat(failed.figures().get("p_value")).isLessThan(0.05);
        assertThat(serving.deployment("credit").orElseThrow().arms()).containsExactly(new Arm("main", ModelRef.parse("credit@1"), 1));
        assertThat(f.traffic(serving, 500)).containsExactly(Map.entry("credit@1", 500));
        System.out.printf("rollback at %s on %s: gate breach detected -> 100%% champion traffic in %.3f ms (plus up to one check interval)%n",
                done.history().getLast().from(), failed.message(), done.rollbackMillis().orElseThrow());
    }

    @Test
    void aCandidateWithShiftedPredictionsIsRolledBackInTheShadowStage() {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0.5, 0.80, "");
        ServingEngine serving = f.serving("credit@1");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        RolloutState s = rollouts.start(plan("credit@2"), "alice");

        RolloutState done = runUntil(f, serving, rollouts, s.id(), 1_000, 10, Stage.ROLLED_BACK, Stage.COMPLETED);

        assertThat(done.stage()).isEqualTo(Stage.ROLLED_BACK);
        assertThat(done.history().getLast().from()).isEqualTo("SHADOW");
        assertThat(done.failure().orElseThrow().gate()).isEqualTo("prediction_divergence");
        assertThat(done.failure().orElseThrow().figures().get("ks_distance")).isGreaterThan(0.1);
        assertThat(serving.deployment("credit").orElseThrow().shadow()).isEmpty();
    }

    @Test
    void aCandidateWorseOfflineNeverGetsTraffic() {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.70, "");
        ServingEngine serving = f.serving("credit@1");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        RolloutState s = rollouts.start(plan("credit@2"), "alice");
        rollouts.tick();
        RolloutState done = rollouts.status(s.id());
        assertThat(done.stage()).isEqualTo(Stage.ROLLED_BACK);
        assertThat(done.failure().orElseThrow().gate()).isEqualTo("offline");
        assertThat(done.failure().orElseThrow().figures()).containsEntry("candidate", 0.70).containsEntry("champion", 0.80);
        assertThat(serving.deployment("credit").orElseThrow().shadow()).isEmpty();
    }

    @Test
    void pauseHoldsTheStageResumeLetsItGoPromoteSkipsAndAbortRestoresTheChampion() {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.80, "");
        ServingEngine serving = f.serving("credit@1");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        RolloutState s = rollouts.start(plan("credit@2"), "alice");
        rollouts.tick();
        rollouts.pause(s.id(), "bob");
        assertThatThrownBy(() -> rollouts.pause(s.id(), "bob")).isInstanceOf(ConflictException.class);
        RolloutState held = runUntil(f, serving, rollouts, s.id(), 1_000, 4, Stage.CANARY);
        assertThat(held.stage()).isEqualTo(Stage.SHADOW);
        assertThat(held.paused()).isTrue();

        rollouts.resume(s.id(), "bob");
        RolloutState moved = runUntil(f, serving, rollouts, s.id(), 1_000, 6, Stage.CANARY);
        assertThat(moved.label()).isEqualTo("CANARY 5%");

        RolloutState promoted = rollouts.promote(s.id(), "carol");
        assertThat(promoted.label()).isEqualTo("CANARY 10%");
        assertThat(promoted.history().getLast().actor()).isEqualTo("carol");
        assertThat(serving.deployment("credit").orElseThrow().arms()).extracting(Arm::weight).containsExactly(90.0, 10.0);

        RolloutState aborted = rollouts.abort(s.id(), "carol");
        assertThat(aborted.stage()).isEqualTo(Stage.ABORTED);
        assertThat(serving.deployment("credit").orElseThrow().arms()).containsExactly(new Arm("main", ModelRef.parse("credit@1"), 1));
        assertThatThrownBy(() -> rollouts.resume(s.id(), "carol")).isInstanceOf(ConflictException.class).hasMessageContaining("ended");
        assertThat(audit).extracting(Transition::actor).contains("alice", "bob", "carol", RolloutEngine.AUTOMATIC);
    }

    @Test
    void aServerRestartedMidRolloutResumesFromThePersistedStage() {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.80, "");
        Path store = dir.resolve("rollouts");
        ServingEngine first = f.serving("credit@1");
        RolloutEngine before = f.rollouts(first, FileRolloutStore.open(store)).owner("server-1").build();
        RolloutState s = before.start(plan("credit@2"), "alice");
        before.tick();
        before.promote(s.id(), "alice");
        before.promote(s.id(), "alice");
        assertThat(before.status(s.id()).label()).isEqualTo("CANARY 10%");
        before.close();
        first.close();
        f.engines.remove(first);

        // the restarted server deploys its configured champion, then the rollout puts the canary back
        ServingEngine second = f.serving("credit@1");
        RolloutEngine after = f.rollouts(second, FileRolloutStore.open(store)).owner("server-1-restarted").build();
        f.closeables.add(after);
        after.tick();
        assertThat(after.status(s.id()).label()).isEqualTo("CANARY 10%");
        assertThat(second.deployment("credit").orElseThrow().arms()).extracting(Arm::weight).containsExactly(90.0, 10.0);

        RolloutState done = runUntil(f, second, after, s.id(), 4_000, 30, Stage.COMPLETED, Stage.ROLLED_BACK);
        assertThat(done.stage()).isEqualTo(Stage.COMPLETED);
        assertThat(done.history()).extracting(Transition::to).containsSubsequence("CANARY 10%", "CANARY 25%", "FULL", "WATCH", "COMPLETED");
    }

    @Test
    void aChampionFollowedByAliasGetsTheAliasMovedAtCompletion() {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.80, "");
        f.registry.setAlias("credit", "champion", 1, "test", "");
        ServingEngine serving = f.serving("credit@champion");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        RolloutState s = rollouts.start(plan("credit@2"), "alice");
        for (int i = 0; i < 7; i++) {
            rollouts.promote(s.id(), "alice");
        }
        assertThat(rollouts.status(s.id()).stage()).isEqualTo(Stage.COMPLETED);
        assertThat(f.registry.aliases("credit")).containsEntry("champion", 2);
        assertThat(serving.deployment("credit").orElseThrow().arms()).containsExactly(new Arm("main", ModelRef.parse("credit@champion"), 1));
        assertThat(serving.resolvedVersions("credit")).containsEntry("arm:main", 2);
    }

    @Test
    void startRefusesWhatCannotBeRolledOut() {
        f.model(1, 1, 0, 0.80, "");
        ServingEngine serving = f.serving("credit@1");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        assertThatThrownBy(() -> rollouts.start(plan("credit@1"), "alice")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("field 'candidate'").hasMessageContaining("champion");
        assertThatThrownBy(() -> rollouts.start(plan("credit@9"), "alice")).hasMessageContaining("field 'candidate'");
        assertThatThrownBy(() -> rollouts.start(RolloutPlan.of("nope", ModelRef.parse("credit@1")), "alice"))
                .hasMessageContaining("field 'deployment'");
        f.model(1, 1, 0, 0.80, "");
        rollouts.start(plan("credit@2"), "alice");
        assertThatThrownBy(() -> rollouts.start(plan("credit@2"), "alice")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already has the active rollout");
        assertThatThrownBy(() -> rollouts.status("../etc")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theScheduledLoopChecksByItself() throws Exception {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.80, "");
        ServingEngine serving = f.serving("credit@1");
        RolloutEngine rollouts = engine(serving, FileRolloutStore.open(dir.resolve("rollouts")));
        RolloutState s = rollouts.start(plan("credit@2"), "alice");
        rollouts.schedule(Duration.ofMillis(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // the stage is persisted first, then the deployment changes: wait for both
        while ((rollouts.status(s.id()).stage() == Stage.OFFLINE || serving.deployment("credit").orElseThrow().shadow().isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(rollouts.status(s.id()).stage()).isEqualTo(Stage.SHADOW);
        assertThat(serving.deployment("credit").orElseThrow().shadow()).isPresent();
    }

    @Test
    void aPluggedInSignalCanRollBackWithItsOwnFigures() {
        f.model(1, 1, 0, 0.80, "");
        f.model(1, 1, 0, 0.80, "");
        ServingEngine serving = f.serving("credit@1");
        // an accuracy monitor's verdict: labelled outcomes say the candidate is worse once it serves live traffic
        GateSignal accuracy = new GateSignal() {
            @Override
            public String name() {
                return "accuracy";
            }

            @Override
            public GateResult evaluate(GateContext c) {
                if (c.state().stage() != Stage.CANARY) {
                    return GateResult.pass(name(), "no labelled outcomes yet", Map.of());
                }
                return GateResult.fail(name(), "accuracy 0.71 vs champion 0.80 on 900 labelled outcomes",
                        Map.of("candidate", 0.71, "champion", 0.80, "labelled", 900.0));
            }
        };
        RolloutEngine rollouts = f.rollouts(serving, FileRolloutStore.open(dir.resolve("rollouts"))).signal(accuracy).build();
        f.closeables.add(rollouts);
        RolloutState s = rollouts.start(plan("credit@2"), "alice");
        rollouts.tick();
        rollouts.promote(s.id(), "alice");
        rollouts.tick();

        RolloutState done = rollouts.status(s.id());
        assertThat(done.stage()).isEqualTo(Stage.ROLLED_BACK);
        assertThat(done.failure().orElseThrow().gate()).isEqualTo("accuracy");
        assertThat(done.failure().orElseThrow().figures()).containsEntry("candidate", 0.71);
        assertThat(done.history().getLast().reason()).contains("gate accuracy failed").contains("0.71");
        assertThat(serving.deployment("credit").orElseThrow().arms()).containsExactly(new Arm("main", ModelRef.parse("credit@1"), 1));
    }
}
