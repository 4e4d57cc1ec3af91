package dev.ferry.monitoring.report;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.drift.DriftDetector;
import dev.ferry.monitoring.outcome.Task;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a report compares and how.
 *
 * @param title       the report's heading
 * @param windowing   how the analysis period is cut into windows
 * @param detector    drift methods and thresholds (its prediction column, if set, must equal {@code prediction})
 * @param exclude     columns that are not features (ids, targets, keys)
 * @param prediction  the model output column judged as prediction drift, or empty
 * @param task        what the outcomes judge: a classifier's probability or a regressor's value
 * @param threshold   a score at or above it is class 1 (classification accuracy)
 * @param buckets     calibration buckets
 * @param maxNullRateDifference a missing-rate difference above it is skew
 */
public record ReportOptions(String title, Windowing windowing, DriftDetector detector, Set<String> exclude,
                            Optional<String> prediction, Task task, double threshold, int buckets, double maxNullRateDifference) {

    public ReportOptions {
        exclude = Set.copyOf(exclude);
        List<String> problems = new java.util.ArrayList<>();
        if (title == null || title.isBlank()) {
            problems.add("title was '" + title + "' but it must not be empty");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            problems.add("threshold was " + threshold + " but it must be between 0 and 1");
        }
        if (buckets <= 0) {
            problems.add("buckets was " + buckets + " but it must be positive");
        }
        if (!(maxNullRateDifference >= 0 && maxNullRateDifference <= 1)) {
            problems.add("maximum null-rate difference was " + maxNullRateDifference + " but it must be in [0, 1]");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("report options: " + String.join("; ", problems));
        }
    }

    /** Evidently's drift defaults, daily windows, classification at 0.5 with 10 buckets, 0.05 null-rate difference. */
    public static ReportOptions defaults(String title, Windowing windowing) {
        return new ReportOptions(title, windowing, DriftDetector.defaults(), Set.of(), Optional.empty(), Task.CLASSIFICATION, 0.5, 10, 0.05);
    }

    public ReportOptions withDetector(DriftDetector d) {
        return new ReportOptions(title, windowing, d, exclude, prediction, task, threshold, buckets, maxNullRateDifference);
    }

    public ReportOptions withExclude(Set<String> e) {
        return new ReportOptions(title, windowing, detector, e, prediction, task, threshold, buckets, maxNullRateDifference);
    }

    public ReportOptions withPrediction(String column) {
        return new ReportOptions(title, windowing, detector, exclude, Optional.of(column), task, threshold, buckets, maxNullRateDifference);
    }

    public ReportOptions withTask(Task t) {
        return new ReportOptions(title, windowing, detector, exclude, prediction, t, threshold, buckets, maxNullRateDifference);
    }
}
