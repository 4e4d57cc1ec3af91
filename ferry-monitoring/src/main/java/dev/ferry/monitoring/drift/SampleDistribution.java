package dev.ferry.monitoring.drift;

import dev.ferry.monitoring.profile.FeatureKind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Exact distribution of raw values: sorted numbers, or counts of strings. */
final class SampleDistribution implements Distribution {

    /** Numbers with more distinct values than this get no per-value counts (as in profiles). */
    static final int NUMERIC_COUNTS_MAX = 32;

    private final FeatureKind kind;
    private final double[] sorted;
    private final Map<String, Long> counts;

    private SampleDistribution(FeatureKind kind, double[] sorted, Map<String, Long> counts) {
        this.kind = kind;
        this.sorted = sorted;
        this.counts = counts;
    }

    static SampleDistribution numeric(double[] values) {
        double[] s = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        Map<String, Long> c = new HashMap<>();
        for (double v : s) {
            c.merge(key(v), 1L, Long::sum);
            if (c.size() > NUMERIC_COUNTS_MAX) {
                c = null;
                break;
            }
        }
        return new SampleDistribution(FeatureKind.NUMERIC, s, c);
    }

    static SampleDistribution categorical(List<String> values) {
        Map<String, Long> c = new HashMap<>();
        for (String v : values) {
            if (v != null) {
                c.merge(v, 1L, Long::sum);
            }
        }
        return new SampleDistribution(FeatureKind.CATEGORICAL, new double[0], c);
    }

    private static String key(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    @Override
    public FeatureKind kind() {
        return kind;
    }

    @Override
    public long count() {
        return kind == FeatureKind.NUMERIC ? sorted.length : counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public long distinct() {
        if (counts != null) {
            return counts.size();
        }
        long d = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                d++;
            }
        }
        return d;
    }

    @Override
    public Optional<Map<String, Long>> counts() {
        return Optional.ofNullable(counts);
    }

    @Override
    public double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    @Override
    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    @Override
    public double std() {
        double mean = Arrays.stream(sorted).average().orElse(0);
        double ss = 0;
        for (double v : sorted) {
            ss += (v - mean) * (v - mean);
        }
        return sorted.length == 0 ? 0 : Math.sqrt(ss / sorted.length);
    }

    @Override
    public double cdf(double x) {
        return (double) upperBound(x) / sorted.length;
    }

    @Override
    public double shareBelow(double x) {
        return (double) lowerBound(x) / sorted.length;
    }

    @Override
    public double[] points() {
        return sorted;
    }

    /** Number of values <= x. */
    private int upperBound(double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of values < x. */
    private int lowerBound(double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
