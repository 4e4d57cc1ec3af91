package dev.ferry.monitoring.outcome;

import java.time.Instant;

/**
 * An outcome joined to the prediction it judges: the logged prediction (with its features and
 * output, so metrics can be cut by any feature later), when the outcome was observed, and the
 * label (0/1 for a binary label).
 */
public record JoinedOutcome(LoggedPrediction prediction, Instant observedAt, double label) {

    /** What identifies this pair in the store: re-ingesting the same outcome replaces it. */
    String key() {
        return prediction.requestId() + '\u001f' + prediction.deployment() + '\u001f' + prediction.arm();
    }
}
