package dev.ferry.rollout;

import dev.ferry.serving.Arm;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.ModelRef;
import java.util.List;

/** What each stage of a rollout asks of the deployment's routing: arms, weights and shadow. */
final class StageRouting {

    private StageRouting() {
    }

    /** The deployment's routing in a rollout's stage: its other settings (budget, keys, fallback) stay as they are. */
    static DeploymentSpec desired(DeploymentSpec base, RolloutState s) {
        ModelRef champion = s.champion();
        ModelRef candidate = s.plan().candidate();
        DeploymentSpec.Builder b = base.toBuilder();
        double share = s.plan().shadowShare();
        return switch (s.stage()) {
            case OFFLINE, ROLLED_BACK, ABORTED -> b.arms(List.of(new Arm(s.championArm(), champion, 1))).noShadow().build();
            case SHADOW -> b.arms(List.of(new Arm(s.championArm(), champion, 1))).shadow(candidate, share).build();
            case CANARY -> {
                double p = s.candidatePercent();
                yield b.arms(List.of(new Arm(s.championArm(), champion, 100 - p), new Arm(RolloutState.CANDIDATE_ARM, candidate, p)))
                        .noShadow().build();
            }
            case FULL, WATCH -> b.arms(List.of(new Arm(RolloutState.CANDIDATE_ARM, candidate, 1))).shadow(champion, share).build();
            case COMPLETED -> b.arms(List.of(new Arm(s.championArm(), followsAlias(s) ? champion : candidate, 1))).noShadow().build();
        };
    }

    /** Whether the champion was served through an alias (moved to the candidate at completion). */
    static boolean followsAlias(RolloutState s) {
        return !s.champion().versionOrAlias().matches("[0-9]+");
    }
}
