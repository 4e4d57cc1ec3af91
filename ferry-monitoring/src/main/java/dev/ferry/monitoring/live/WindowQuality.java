package dev.ferry.monitoring.live;

import java.time.Instant;
import java.util.Map;

/**
 * The data quality of one deployment and model version in one window: predictions served, how
 * many were degraded (features missing or older than the view's max age, or a fallback answered),
 * and per feature the values seen, nulls and values out of range.
 */
public record WindowQuality(String deployment, int version, Instant windowStart, long predictions, long degraded,
                            Map<String, FeatureCounts> features) {

    /** Counts for one feature. */
    public record FeatureCounts(long seen, long nulls, long outOfRange) {

        public double nullRate() {
            return seen == 0 ? Double.NaN : (double) nulls / seen;
        }

        public double outOfRangeRate() {
            return seen == 0 ? Double.NaN : (double) outOfRange / seen;
        }
    }

    public WindowQuality {
        features = Map.copyOf(features);
    }

    public double degradedRate() {
        return predictions == 0 ? Double.NaN : (double) degraded / predictions;
    }
}
