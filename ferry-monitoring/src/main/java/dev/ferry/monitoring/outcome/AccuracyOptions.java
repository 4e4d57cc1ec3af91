package dev.ferry.monitoring.outcome;

import dev.ferry.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How accuracy is computed from joined outcomes.
 *
 * @param task        classification or regression
 * @param scoreField  the output field holding the score: a number, or a list whose last element
 *                    is the positive class's probability ([p0, p1]) or whose only element is the value
 * @param threshold   a score at or above it is class 1 (classification)
 * @param window      the length of a time window (predictions grouped by when they were made, windows aligned to the epoch, so a day is a UTC day)
 * @param segmentBy   a feature (or entity key) whose values split the metrics, or empty for none
 * @param buckets     calibration buckets
 */
public record AccuracyOptions(Task task, String scoreField, double threshold, Duration window, Optional<String> segmentBy,
                              int buckets) {

    public AccuracyOptions {
        List<String> problems = new ArrayList<>();
        if (task == null) {
            problems.add("task was null but it must be classification or regression");
        }
        if (scoreField == null || scoreField.isBlank()) {
            problems.add("score field was '" + scoreField + "' but it must name an output field");
        }
        if (!(threshold >= 0 && threshold <= 1) && task == Task.CLASSIFICATION) {
            problems.add("threshold was " + threshold + " but it must be between 0 and 1");
        }
        if (window == null || window.isNegative() || window.isZero()) {
            problems.add("window was " + window + " but it must be positive");
        }
        if (buckets <= 0) {
            problems.add("buckets was " + buckets + " but it must be positive");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("accuracy options: " + String.join("; ", problems));
        }
    }

    /** Classification over {@code scoreField}, threshold 0.5, daily windows, 10 buckets, no segments. */
    public static AccuracyOptions classification(String scoreField) {
        return new AccuracyOptions(Task.CLASSIFICATION, scoreField, 0.5, Duration.ofDays(1), Optional.empty(), 10);
    }

    /** Regression over {@code scoreField}, daily windows, no segments. */
    public static AccuracyOptions regression(String scoreField) {
        return new AccuracyOptions(Task.REGRESSION, scoreField, 0.5, Duration.ofDays(1), Optional.empty(), 10);
    }

    public AccuracyOptions withWindow(Duration w) {
        return new AccuracyOptions(task, scoreField, threshold, w, segmentBy, buckets);
    }

    public AccuracyOptions withThreshold(double t) {
        return new AccuracyOptions(task, scoreField, t, window, segmentBy, buckets);
    }

    public AccuracyOptions withSegmentBy(String feature) {
        return new AccuracyOptions(task, scoreField, threshold, window, Optional.of(feature), buckets);
    }

    public AccuracyOptions withBuckets(int b) {
        return new AccuracyOptions(task, scoreField, threshold, window, segmentBy, b);
    }
}
