package dev.ferry.rollout;

import dev.ferry.serving.ModelRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A rollout as persisted after every transition: its plan, the champion it started from, where
 * it is, whether it is paused, its history, the last gate verdicts, and, after an automatic
 * rollback, the gate that failed and how long the rollback took. Immutable; each change is a
 * new state with the store's next revision.
 *
 * @param id             the rollout's id
 * @param plan           what it does
 * @param champion       what the deployment's arm served when the rollout started (a version or an alias)
 * @param championArm    that arm's name, kept for the deployment after the rollout
 * @param championVersion the champion's version when the rollout started
 * @param stage          where it is
 * @param step           index into the canary ladder in the canary stage, else 0
 * @param paused         whether automatic advancing is paused (gates still roll back)
 * @param stageStartedAt when the current stage began
 * @param createdAt      when the rollout began
 * @param revision       the store's revision, for compare-and-set
 * @param history        every transition so far
 * @param gates          the last verdict of each gate
 * @param failure        the gate that failed, after an automatic rollback
 * @param rollbackMillis time from detecting the failed gate to 100 % champion traffic
 * @param baseline       the champion's live figures from the last canary step
 */
public record RolloutState(String id, RolloutPlan plan, ModelRef champion, String championArm, int championVersion, Stage stage,
                           int step, boolean paused, Instant stageStartedAt, Instant createdAt, long revision,
                           List<Transition> history, List<GateResult> gates, Optional<GateResult> failure,
                           Optional<Double> rollbackMillis, Optional<ArmSample> baseline) {

    /** The name of the arm the candidate serves from during the canary stage. */
    public static final String CANDIDATE_ARM = "candidate";

    public RolloutState {
        history = List.copyOf(history);
        gates = List.copyOf(gates);
    }

    /** The candidate's share of live traffic in percent. */
    public double candidatePercent() {
        return switch (stage) {
            case CANARY -> plan.canarySteps().get(step);
            case FULL, WATCH, COMPLETED -> 100.0;
            default -> 0.0;
        };
    }

    /** The stage as people read it: {@code CANARY 10%}, {@code SHADOW}. */
    public String label() {
        return stage == Stage.CANARY ? "CANARY " + format(plan.canarySteps().get(step)) + "%" : stage.name();
    }

    static String format(double percent) {
        return percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
    }

    /** This rollout moved to {@code next} (step {@code nextStep}) at {@code at}, for {@code reason}. */
    RolloutState moveTo(Stage next, int nextStep, Instant at, String actor, String reason) {
        RolloutState moved = new RolloutState(id, plan, champion, championArm, championVersion, next, nextStep, paused, at, createdAt,
                revision, history, List.of(), failure, rollbackMillis, baseline);
        List<Transition> h = new ArrayList<>(history);
        h.add(new Transition(at, label(), moved.label(), actor, reason));
        return moved.withHistory(h);
    }

    private RolloutState withHistory(List<Transition> h) {
        return new RolloutState(id, plan, champion, championArm, championVersion, stage, step, paused, stageStartedAt, createdAt,
                revision, h, gates, failure, rollbackMillis, baseline);
    }

    RolloutState withPaused(boolean value, Instant at, String actor, String reason) {
        List<Transition> h = new ArrayList<>(history);
        h.add(new Transition(at, label(), label() + (value ? " (paused)" : " (resumed)"), actor, reason));
        return new RolloutState(id, plan, champion, championArm, championVersion, stage, step, value, stageStartedAt, createdAt,
                revision, h, gates, failure, rollbackMillis, baseline);
    }

    RolloutState withGates(List<GateResult> value) {
        return new RolloutState(id, plan, champion, championArm, championVersion, stage, step, paused, stageStartedAt, createdAt,
                revision, history, value, failure, rollbackMillis, baseline);
    }

    RolloutState withFailure(GateResult gate, double millis) {
        return new RolloutState(id, plan, champion, championArm, championVersion, stage, step, paused, stageStartedAt, createdAt,
                revision, history, gates, Optional.of(gate), Optional.of(millis), baseline);
    }

    RolloutState withBaseline(ArmSample value) {
        return new RolloutState(id, plan, champion, championArm, championVersion, stage, step, paused, stageStartedAt, createdAt,
                revision, history, gates, failure, rollbackMillis, Optional.of(value));
    }

    RolloutState withRevision(long value) {
        return new RolloutState(id, plan, champion, championArm, championVersion, stage, step, paused, stageStartedAt, createdAt,
                value, history, gates, failure, rollbackMillis, baseline);
    }
}
