package dev.ferry.monitoring.outcome;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The accuracy of one group of joined outcomes: one time window, deployment, model version and
 * arm (and segment value when segmenting). {@code metrics} holds {@code auc}, {@code log_loss},
 * {@code accuracy}, {@code ece} and {@code positive_rate} for classifiers, {@code mae} and
 * {@code rmse} for regressors; {@code calibration} is present for classifiers.
 */
public record AccuracyRow(Instant windowStart, String deployment, String model, int version, String arm,
                          Optional<String> segment, long count, Map<String, Double> metrics,
                          Optional<Calibration> calibration) {

    public AccuracyRow {
        metrics = Map.copyOf(metrics);
    }
}
