package dev.ferry.rollout;

import java.time.Duration;

/**
 * What a {@link GateSignal} judges: the rollout, its stage, the two sides' figures in this
 * stage, and the champion's figures from the last stage where it served live traffic (its
 * baseline once the candidate serves everything).
 *
 * @param state     the rollout
 * @param champion  the champion's figures in this stage (live, or mirrored in the full and watch stages)
 * @param candidate the candidate's figures in this stage (mirrored in the shadow stage)
 * @param baseline  the champion's live figures from the last canary step, or empty
 * @param elapsed   how long the stage has run
 */
public record GateContext(RolloutState state, ArmSample champion, ArmSample candidate, ArmSample baseline, Duration elapsed) {

    public GateThresholds thresholds() {
        return state.plan().gates();
    }

    public int minSamples() {
        return state.plan().minSamples();
    }
}
