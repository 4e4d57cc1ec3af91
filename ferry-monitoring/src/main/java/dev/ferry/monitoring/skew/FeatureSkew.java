package dev.ferry.monitoring.skew;

import dev.ferry.monitoring.drift.FeatureDrift;
import java.util.Optional;

/**
 * Training/serving skew of one feature found by comparing profiles: the missing rates on both
 * sides and whether their difference exceeds the allowed one, the rate of values of the wrong
 * type when served, and the distribution comparison (a {@link FeatureDrift}) when both sides have
 * values of the same kind.
 */
public record FeatureSkew(String feature, double trainingNullRate, double servedNullRate, boolean nullRateSkewed,
                          double servedInvalidRate, Optional<FeatureDrift> distribution) {

    /** True when anything about this feature differs beyond its threshold. */
    public boolean skewed() {
        return nullRateSkewed || servedInvalidRate > 0 || distribution.map(FeatureDrift::drifted).orElse(false);
    }
}
