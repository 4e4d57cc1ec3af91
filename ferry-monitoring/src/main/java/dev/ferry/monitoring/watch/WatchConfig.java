package dev.ferry.monitoring.watch;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.alert.AlertRule;
import dev.ferry.monitoring.alert.Comparison;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link DeploymentMonitor} works: the length of its tumbling windows, the alert rules
 * judged over its scores, the webhook alerts are posted to (they always go to the log), and how
 * many served predictions may wait for it before new ones are dropped.
 *
 * @param window   length of one window (by the prediction's time)
 * @param rules    alert rules; {@link #defaultRules()} when none are configured
 * @param webhook  where firing and resolved alerts are posted as JSON, if anywhere
 * @param queue    capacity of the monitor's queue
 */
public record WatchConfig(Duration window, List<AlertRule> rules, Optional<URI> webhook, int queue) {

    public WatchConfig {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new InvalidInputException("monitoring window was " + window + " but it must be a positive duration");
        }
        if (queue <= 0) {
            throw new InvalidInputException("monitoring queue was " + queue + " but it must be positive");
        }
        rules = List.copyOf(rules);
        webhook = webhook == null ? Optional.empty() : webhook;
    }

    /**
     * The rules used when none are configured: dataset drift (at least half the features of a
     * deployment's version drifted in a window) and any served feature whose type differs from
     * the baseline's; both fire at once.
     */
    public static List<AlertRule> defaultRules() {
        return List.of(
                new AlertRule("dataset-drift", dev.ferry.monitoring.alert.ScoreKey.parse(DeploymentMonitor.DRIFTED_SHARE),
                        Comparison.AT_OR_ABOVE, 0.5, Duration.ZERO, Duration.ZERO, "warning",
                        "At least half of the served features drifted from the baseline in one window"),
                new AlertRule("skew-type-mismatch", dev.ferry.monitoring.alert.ScoreKey.parse(DeploymentMonitor.SKEW_TYPE_MISMATCH),
                        Comparison.ABOVE, 0, Duration.ZERO, Duration.ZERO, "critical",
                        "A served feature arrives with another type than the model was trained on"));
    }
}
