package dev.ferry.monitoring.profile;

/**
 * Exact moments of a feature's non-missing numeric values: count, min, max, mean and the sum of
 * squared deviations {@code m2} (Welford), which merge exactly (Chan et al.) where quantiles only
 * merge approximately.
 */
public record NumericSummary(long count, double min, double max, double mean, double m2) {

    /** Population variance (divides by n, as numpy's {@code std} with ddof 0 does). */
    public double variance() {
        return count == 0 ? 0.0 : m2 / count;
    }

    /** Population standard deviation. */
    public double std() {
        return Math.sqrt(variance());
    }

    NumericSummary merge(NumericSummary o) {
        if (o.count == 0) {
            return this;
        }
        if (count == 0) {
            return o;
        }
        long n = count + o.count;
        double delta = o.mean - mean;
        double newMean = mean + delta * o.count / n;
        double newM2 = m2 + o.m2 + delta * delta * ((double) count * o.count / n);
        return new NumericSummary(n, Math.min(min, o.min), Math.max(max, o.max), newMean, newM2);
    }
}
