package dev.ferry.monitoring.skew;

import java.util.List;

/**
 * How often one feature's served value differed from the offline store's value for the same
 * entity at the same time: values compared (both present), mismatches among them, predictions
 * served without the value while the offline store had one and the reverse, and a few examples.
 */
public record ValueSkew(String feature, long compared, long mismatches, long missingServed, long missingOffline,
                        List<String> examples) {

    public ValueSkew {
        examples = List.copyOf(examples);
    }

    /** Mismatches over values compared; 0 when nothing was compared. */
    public double mismatchRate() {
        return compared == 0 ? 0.0 : (double) mismatches / compared;
    }
}
