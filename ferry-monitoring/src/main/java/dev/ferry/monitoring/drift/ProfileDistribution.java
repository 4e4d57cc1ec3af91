package dev.ferry.monitoring.drift;

import dev.ferry.monitoring.profile.FeatureKind;
import dev.ferry.monitoring.profile.FeatureProfile;
import dev.ferry.monitoring.profile.NumericSummary;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A feature's distribution as its profile knows it: the CDF and the evaluation points come from
 * the t-digest (a grid of 1,000 quantiles), counts from the frequent-values summary when it is
 * exact (for a categorical feature with more values than the summary keeps, the kept values plus
 * one bucket for all others). Everything computed from it approximates the exact test on the raw values.
 */
final class ProfileDistribution implements Distribution {

    static final int GRID = 1000;
    /** The bucket for the values a frequent-values summary did not keep. */
    static final String OTHER = "\u0000other";
    /**
     * Rank intervals for the Wasserstein integral: 0.001 wide in the middle, 0.00001 wide in the
     * outer 1% on each side, where a few extreme values can carry much of the distance.
     */
    static final double[] WIDTHS;
    static final double[] MIDPOINTS;

    static {
        int tail = 1000;
        int middle = 980;
        WIDTHS = new double[2 * tail + middle];
        MIDPOINTS = new double[WIDTHS.length];
        double q = 0;
        for (int i = 0; i < WIDTHS.length; i++) {
            WIDTHS[i] = i < tail || i >= tail + middle ? 0.01 / tail : 0.98 / middle;
            MIDPOINTS[i] = q + WIDTHS[i] / 2;
            q += WIDTHS[i];
        }
    }

    private final FeatureProfile profile;
    private final double[] quantiles;
    private final double[] rankGrid;
    private final double[] points;

    ProfileDistribution(FeatureProfile profile) {
        this.profile = profile;
        boolean numeric = profile.kind() == FeatureKind.NUMERIC && count() > 0;
        this.quantiles = new double[numeric ? GRID : 0];
        for (int i = 0; i < quantiles.length; i++) {
            quantiles[i] = profile.quantile((i + 0.5) / GRID);
        }
        this.points = numeric ? grid(profile, quantiles) : new double[0];
        this.rankGrid = new double[numeric ? MIDPOINTS.length : 0];
        for (int i = 0; i < rankGrid.length; i++) {
            rankGrid[i] = profile.quantile(MIDPOINTS[i]);
        }
    }

    private static double[] grid(FeatureProfile p, double[] quantiles) {
        NumericSummary s = p.numeric().orElseThrow();
        double[] g = new double[GRID + 2];
        g[0] = s.min();
        System.arraycopy(quantiles, 0, g, 1, GRID);
        g[GRID + 1] = s.max();
        Arrays.sort(g);
        return g;
    }

    /** Quantiles at {@link #MIDPOINTS}. */
    double[] rankGrid() {
        return rankGrid;
    }

    @Override
    public FeatureKind kind() {
        return profile.kind();
    }

    @Override
    public long count() {
        return profile.kind() == FeatureKind.NUMERIC ? profile.numeric().map(NumericSummary::count).orElse(0L) : profile.validCount();
    }

    @Override
    public long distinct() {
        if (profile.frequentValuesExact()) {
            return profile.frequentValues().size();
        }
        return profile.distinctCount();
    }

    @Override
    public Optional<Map<String, Long>> counts() {
        if (profile.frequentValuesExact()) {
            return Optional.of(profile.frequentValues());
        }
        if (profile.kind() == FeatureKind.CATEGORICAL) {
            // Only the most frequent values were kept: the rest of the mass becomes one bucket.
            Map<String, Long> c = new LinkedHashMap<>(profile.frequentValues());
            long kept = c.values().stream().mapToLong(Long::longValue).sum();
            c.put(OTHER, Math.max(0, count() - kept));
            return Optional.of(c);
        }
        return Optional.empty();
    }

    @Override
    public double min() {
        return profile.numeric().map(NumericSummary::min).orElse(Double.NaN);
    }

    @Override
    public double max() {
        return profile.numeric().map(NumericSummary::max).orElse(Double.NaN);
    }

    @Override
    public double std() {
        return profile.numeric().map(NumericSummary::std).orElse(0.0);
    }

    @Override
    public double cdf(double x) {
        if (x < min()) {
            return 0.0;
        }
        if (x >= max()) {
            return 1.0;
        }
        return profile.cdf(x);
    }

    @Override
    public double shareBelow(double x) {
        return x <= min() ? 0.0 : cdf(x);
    }

    @Override
    public double[] points() {
        return points;
    }
}
