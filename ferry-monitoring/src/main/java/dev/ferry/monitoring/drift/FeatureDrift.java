package dev.ferry.monitoring.drift;

/**
 * The verdict on one feature: the method used, its statistic (a p-value for tests, a distance
 * otherwise), the threshold, whether the feature drifted, how many non-missing values each side
 * had, and whether the statistic came from profiles' sketches rather than raw values.
 */
public record FeatureDrift(String feature, DriftMethod method, double statistic, double threshold, boolean drifted,
                           long referenceCount, long currentCount, boolean approximate) {
}
