package dev.ferry.monitoring.skew;

import java.util.List;
import java.util.Optional;

/** Everything {@link SkewChecker} found: schema issues first, then one {@link FeatureSkew} per shared feature. */
public record SkewReport(List<SchemaIssue> schemaIssues, List<FeatureSkew> features) {

    public SkewReport {
        schemaIssues = List.copyOf(schemaIssues);
        features = List.copyOf(features);
    }

    public Optional<FeatureSkew> feature(String name) {
        return features.stream().filter(f -> f.feature().equals(name)).findFirst();
    }

    /** True when there is a schema issue other than a width difference, or a skewed feature. */
    public boolean skewed() {
        return schemaIssues.stream().anyMatch(i -> i.kind() != SchemaIssue.Kind.WIDTH_DIFFERS)
                || features.stream().anyMatch(FeatureSkew::skewed);
    }
}
