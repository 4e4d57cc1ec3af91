package dev.ferry.monitoring.report;

import dev.ferry.monitoring.drift.FeatureDrift;
import dev.ferry.monitoring.outcome.Calibration;
import dev.ferry.monitoring.outcome.Task;
import dev.ferry.monitoring.profile.FeatureKind;
import dev.ferry.monitoring.skew.FeatureSkew;
import dev.ferry.monitoring.skew.SchemaIssue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a monitoring report shows, computed by {@link ReportBuilder} and drawn by
 * {@link HtmlReport}: what was compared, the windows, per feature its distributions, drift over
 * all of the analysis period and per window, data quality and skew, the prediction's drift, the
 * share of drifted features per window, and accuracy per window with calibration once outcomes
 * are known. Tests assert on this model rather than on the HTML.
 */
public record MonitoringReport(String title, String referenceDescription, String analysisDescription, String windowing,
                               List<WindowInfo> windows, List<FeatureSection> features, Optional<FeatureSection> prediction,
                               List<DatasetPoint> datasetDrift, double datasetThreshold, List<SchemaIssue> schemaIssues,
                               Optional<Accuracy> accuracy) {

    public MonitoringReport {
        windows = List.copyOf(windows);
        features = List.copyOf(features);
        schemaIssues = List.copyOf(schemaIssues);
    }

    /** One window of the analysis period. */
    public record WindowInfo(String label, Instant start, Instant end, int rows) {
    }

    /** The share of drifted features in one window, and whether it reached the dataset threshold. */
    public record DatasetPoint(String window, double driftedShare, boolean drifted) {
    }

    /**
     * One feature (or the prediction): its kind, the comparison over the whole analysis period,
     * one comparison per window (empty where the window had no values), the distributions drawn,
     * and its data quality.
     */
    public record FeatureSection(String name, FeatureKind kind, Optional<FeatureDrift> overall, List<WindowDrift> perWindow,
                                 Histogram distribution, Quality quality, Optional<FeatureSkew> skew) {

        public FeatureSection {
            perWindow = List.copyOf(perWindow);
        }

        /** The first window in which the feature drifted, if any. */
        public Optional<String> firstDriftedWindow() {
            return perWindow.stream().filter(w -> w.drift().map(FeatureDrift::drifted).orElse(false)).map(WindowDrift::window).findFirst();
        }

        /** How many windows drifted. */
        public long driftedWindows() {
            return perWindow.stream().filter(w -> w.drift().map(FeatureDrift::drifted).orElse(false)).count();
        }
    }

    /** A feature's comparison in one window. */
    public record WindowDrift(String window, Optional<FeatureDrift> drift) {
    }

    /**
     * Reference and analysis shares over the same bins: numeric bins given by their edges
     * ({@code labels} empty), or categories ({@code edges} empty; the last may be "(other)").
     */
    public record Histogram(List<Double> edges, List<String> labels, List<Double> reference, List<Double> analysis) {
        public Histogram {
            edges = List.copyOf(edges);
            labels = List.copyOf(labels);
            reference = List.copyOf(reference);
            analysis = List.copyOf(analysis);
        }
    }

    /**
     * Data quality of one feature: missing rates on both sides, the share of analysis values of
     * the wrong type, and the share of analysis numbers outside the reference's [min, max]
     * (NaN for categories).
     */
    public record Quality(double referenceNullRate, double analysisNullRate, double invalidRate, double outOfRangeRate) {
    }

    /** Accuracy per window and calibration over the whole analysis period. */
    public record Accuracy(Task task, String source, long outcomes, List<AccuracyPoint> perWindow, Optional<Calibration> calibration) {
        public Accuracy {
            perWindow = List.copyOf(perWindow);
        }
    }

    /** Metrics of one window: auc and accuracy for classifiers, mae and rmse for regressors. */
    public record AccuracyPoint(String window, long count, Map<String, Double> metrics) {
        public AccuracyPoint {
            metrics = Map.copyOf(metrics);
        }
    }

    /** The features that drifted over the whole analysis period, in report order. */
    public List<FeatureSection> driftedFeatures() {
        return features.stream().filter(f -> f.overall().map(FeatureDrift::drifted).orElse(false)).toList();
    }

    public Optional<FeatureSection> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
