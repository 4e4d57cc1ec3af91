package dev.ferry.rollout;

import dev.ferry.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * When the built-in gates fail a candidate. Rates are compared with a one-sided two-proportion
 * z-test at {@code confidence}: the gate fails only when the candidate is worse than the
 * champion by more than the margin with that confidence, never on one noisy sample.
 *
 * @param confidence       confidence of the rate tests and of the divergence test (default 0.95)
 * @param errorMargin      how much higher the candidate's error rate may be (absolute, default 0)
 * @param fallbackMargin   how much higher its fallback rate may be (absolute, default 0)
 * @param latencyTolerance how much higher its p99 latency may be, as a fraction of the champion's (default 0.25)
 * @param latencySlackMillis an absolute allowance added to the latency tolerance, so sub-millisecond p99s
 *                         do not fail on scheduling noise (default 5)
 * @param maxDivergence    the largest Kolmogorov-Smirnov distance allowed between the two arms'
 *                         prediction distributions, when significant at {@code confidence} (default 0.1)
 */
public record GateThresholds(double confidence, double errorMargin, double fallbackMargin, double latencyTolerance,
                             double latencySlackMillis, double maxDivergence) {

    public static final GateThresholds DEFAULTS = new GateThresholds(0.95, 0.0, 0.0, 0.25, 5.0, 0.1);

    public GateThresholds {
        List<String> problems = new ArrayList<>();
        if (!(confidence >= 0.5 && confidence < 1)) {
            problems.add("gates.confidence was " + confidence + " but it must be in [0.5, 1)");
        }
        check(problems, "gates.error_margin", errorMargin, 1);
        check(problems, "gates.fallback_margin", fallbackMargin, 1);
        check(problems, "gates.latency_tolerance", latencyTolerance, 100);
        check(problems, "gates.latency_slack_ms", latencySlackMillis, 600_000);
        check(problems, "gates.max_divergence", maxDivergence, 1);
        if (!problems.isEmpty()) {
            throw new InvalidInputException("rollout gates are invalid: " + String.join("; ", problems));
        }
    }

    private static void check(List<String> problems, String name, double value, double max) {
        if (!(value >= 0 && value <= max)) {
            problems.add(name + " was " + value + " but it must be between 0 and " + max);
        }
    }
}
