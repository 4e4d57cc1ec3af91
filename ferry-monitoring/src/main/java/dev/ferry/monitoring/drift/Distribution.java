package dev.ferry.monitoring.drift;

import dev.ferry.monitoring.profile.FeatureKind;
import java.util.Map;
import java.util.Optional;

/**
 * One side of a comparison: a feature's non-missing values, either exactly (raw samples) or as a
 * profile's sketches. The statistics are written once against this view, so the exact and the
 * approximate paths cannot compute different things.
 */
interface Distribution {

    FeatureKind kind();

    /** Non-missing values. */
    long count();

    /** Distinct non-missing values (exact, or a HyperLogLog estimate). */
    long distinct();

    /** Exact counts per value when known (categorical values, or numbers with few distinct values). */
    Optional<Map<String, Long>> counts();

    double min();

    double max();

    /** Population standard deviation. */
    double std();

    /** Share of values at or below {@code x}. */
    double cdf(double x);

    /** Share of values strictly below {@code x}. */
    double shareBelow(double x);

    /** Sorted points at which the CDF changes (all values, or a quantile grid of a sketch). */
    double[] points();
}
