package dev.ferry.monitoring.drift;

import java.util.List;
import java.util.Optional;

/**
 * Drift of a dataset: one {@link FeatureDrift} per compared feature, the share of those that
 * drifted and whether that share reached the dataset threshold; the prediction (a model output
 * column, when one was named) is judged apart and does not count in the share. {@code skipped}
 * names features present on one side only or with no values on one side.
 */
public record DriftReport(List<FeatureDrift> features, Optional<FeatureDrift> prediction, double driftedShare,
                          double datasetThreshold, boolean datasetDrifted, List<String> skipped) {

    public DriftReport {
        features = List.copyOf(features);
        skipped = List.copyOf(skipped);
    }

    public long driftedCount() {
        return features.stream().filter(FeatureDrift::drifted).count();
    }

    public Optional<FeatureDrift> feature(String name) {
        return features.stream().filter(f -> f.feature().equals(name)).findFirst()
                .or(() -> prediction.filter(p -> p.feature().equals(name)));
    }
}
