package dev.ferry.rollout;

import dev.ferry.InvalidInputException;
import dev.ferry.serving.ModelRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a rollout should do: which candidate goes to which deployment, the offline check against
 * the champion's recorded metrics, the shadow share, the canary ladder, how long and on how many
 * requests each stage is judged, how long the watch lasts, and the gates' thresholds.
 *
 * @param deployment    the deployment whose single arm serves the champion today
 * @param candidate     the candidate version ({@code model@version})
 * @param offline       the offline check, if any
 * @param shadowShare   share of requests mirrored to the candidate in the shadow stage (and to the champion once the candidate serves all)
 * @param canarySteps   the candidate's traffic percentages, rising, ending at 100
 * @param minDuration   how long each stage runs at least before it may pass
 * @param minSamples    how many requests each compared arm needs in a stage before its gates decide
 * @param watch         how long after full rollout the candidate can still be rolled back automatically
 * @param gates         the gates' thresholds
 * @param output        the prediction output whose distribution is compared; empty means the first numeric one
 */
public record RolloutPlan(String deployment, ModelRef candidate, Optional<OfflineCheck> offline, double shadowShare,
                          List<Double> canarySteps, Duration minDuration, int minSamples, Duration watch,
                          GateThresholds gates, Optional<String> output) {

    /** The default canary ladder, in percent of traffic. */
    public static final List<Double> DEFAULT_STEPS = List.of(5.0, 10.0, 25.0, 100.0);

    /**
     * The offline stage: the candidate's {@code metric} from the registry (recorded on a held-out
     * set at training time) against the champion's. The candidate passes when it is not worse by
     * more than {@code margin} (absolute, in the metric's unit).
     */
    public record OfflineCheck(String metric, boolean higherIsBetter, double margin) {
    }

    public RolloutPlan {
        canarySteps = canarySteps == null ? null : List.copyOf(canarySteps);
        List<String> problems = new ArrayList<>();
        if (deployment == null || !deployment.matches("[A-Za-z0-9_.\\-]+")) {
            problems.add("deployment was '" + deployment + "' but it must be letters, digits, '_', '.' or '-'");
        }
        if (candidate == null) {
            problems.add("candidate was missing but it must be model@version");
        } else if (!candidate.versionOrAlias().matches("[1-9][0-9]*")) {
            problems.add("candidate was '" + candidate + "' but it must name a version number (model@3), not an alias");
        }
        offline.ifPresent(o -> {
            if (o.metric() == null || o.metric().isBlank()) {
                problems.add("offline.metric was '" + o.metric() + "' but it must name a metric recorded in the registry");
            }
            if (!(o.margin() >= 0) || Double.isInfinite(o.margin())) {
                problems.add("offline.margin was " + o.margin() + " but it must be a finite number >= 0");
            }
        });
        if (!(shadowShare > 0 && shadowShare <= 1)) {
            problems.add("shadow_share was " + shadowShare + " but it must be in (0, 1]");
        }
        if (canarySteps == null || canarySteps.isEmpty()) {
            problems.add("canary_steps was empty but it must list rising percentages ending at 100");
        } else {
            double prev = 0;
            for (double p : canarySteps) {
                if (!(p > prev && p <= 100)) {
                    problems.add("canary_steps was " + canarySteps + " but each step must be above the previous one and at most 100");
                    break;
                }
                prev = p;
            }
            if (canarySteps.getLast() != 100.0) {
                problems.add("canary_steps was " + canarySteps + " but the last step must be 100");
            }
        }
        if (minDuration == null || minDuration.isNegative()) {
            problems.add("min_duration was " + minDuration + " but it must be zero or positive");
        }
        if (minSamples < 1) {
            problems.add("min_samples was " + minSamples + " but it must be at least 1");
        }
        if (watch == null || watch.isNegative()) {
            problems.add("watch was " + watch + " but it must be zero or positive");
        }
        if (gates == null) {
            problems.add("gates was missing");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("rollout plan is invalid: " + String.join("; ", problems));
        }
    }

    /** A plan with the defaults: 5/10/25/100 %, 10 minutes and 500 requests per stage, a 30 minute watch. */
    public static RolloutPlan of(String deployment, ModelRef candidate) {
        return new RolloutPlan(deployment, candidate, Optional.empty(), 1.0, DEFAULT_STEPS, Duration.ofMinutes(10), 500,
                Duration.ofMinutes(30), GateThresholds.DEFAULTS, Optional.empty());
    }

    public int candidateVersion() {
        return Integer.parseInt(candidate.versionOrAlias());
    }

    public RolloutPlan withOffline(OfflineCheck value) {
        return new RolloutPlan(deployment, candidate, Optional.of(value), shadowShare, canarySteps, minDuration, minSamples, watch,
                gates, output);
    }

    public RolloutPlan withStages(List<Double> steps, Duration duration, int samples, Duration watchFor) {
        return new RolloutPlan(deployment, candidate, offline, shadowShare, steps, duration, samples, watchFor, gates, output);
    }

    public RolloutPlan withGates(GateThresholds value) {
        return new RolloutPlan(deployment, candidate, offline, shadowShare, canarySteps, minDuration, minSamples, watch, value, output);
    }
}
