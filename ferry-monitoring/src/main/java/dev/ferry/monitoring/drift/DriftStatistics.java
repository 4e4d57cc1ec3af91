package dev.ferry.monitoring.drift;

import java.util.ArrayList;
import dev.ferry.monitoring.profile.FeatureKind;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The drift statistics, on raw values. Each follows the definition Evidently uses (which calls
 * scipy), so results can be compared with it: {@code scipy.stats.ks_2samp} (exact p-value for raw
 * samples whose sizes multiply to at most 10^7, asymptotic beyond and on profiles),
 * {@code scipy.stats.chisquare} of current counts against baseline counts scaled to the current
 * total, a pooled two-proportion Z-test, PSI and Jensen-Shannon over Sturges bins of the combined
 * range (or per value for categories and numbers with at most 20 distinct baseline values), and
 * {@code scipy.stats.wasserstein_distance} divided by the baseline's standard deviation (at least
 * 0.001).
 *
 * <p>The same code runs on profiles ({@link DriftDetector#compare}); there the CDF comes from a
 * t-digest and the result approximates the exact one.
 */
public final class DriftStatistics {

    /** Below this many distinct baseline values a numeric feature is binned per value, as Evidently does. */
    static final int PER_VALUE_BINS_MAX_DISTINCT = 20;
    /** Raw samples up to this product of sizes get the exact KS p-value; larger ones, and profiles, the asymptotic one. */
    static final double EXACT_KS_MAX_PRODUCT = 1e7;

    private DriftStatistics() {
    }

    /** Two-sample Kolmogorov-Smirnov: D and its two-sided p-value (exact up to n m = 10^7, asymptotic beyond). */
    public static TestResult ks(double[] reference, double[] current) {
        return ks(SampleDistribution.numeric(reference), SampleDistribution.numeric(current));
    }

    /** Chi-square goodness of fit of current counts to baseline shares: statistic and p-value (k-1 degrees of freedom). */
    public static TestResult chiSquare(Map<String, Long> reference, Map<String, Long> current) {
        List<String> keys = new ArrayList<>(new TreeSet<>(union(reference, current)));
        long nRef = sum(reference);
        long nCur = sum(current);
        double k = (double) nCur / nRef;
        double stat = 0;
        for (String key : keys) {
            double exp = reference.getOrDefault(key, 0L) * k;
            double obs = current.getOrDefault(key, 0L);
            if (exp == 0) {
                if (obs > 0) {
                    return new TestResult(Double.POSITIVE_INFINITY, 0.0);
                }
                continue;
            }
            stat += (obs - exp) * (obs - exp) / exp;
        }
        if (keys.size() < 2) {
            return new TestResult(0.0, 1.0);
        }
        return new TestResult(stat, Distributions.chiSquareSf(stat, keys.size() - 1));
    }

    /** Pooled two-proportion Z-test on the share of the first value (in sorted order): z and two-sided p-value. */
    public static TestResult zTest(Map<String, Long> reference, Map<String, Long> current) {
        TreeSet<String> keys = new TreeSet<>(union(reference, current));
        if (keys.size() <= 1) {
            return new TestResult(0.0, 1.0);
        }
        String first = keys.first();
        double n1 = sum(reference);
        double n2 = sum(current);
        double p1 = (n1 - reference.getOrDefault(first, 0L)) / n1;
        double p2 = (n2 - current.getOrDefault(first, 0L)) / n2;
        double p = (p1 * n1 + p2 * n2) / (n1 + n2);
        double z = (p1 - p2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
        return new TestResult(z, Distributions.normalTwoSided(z));
    }

    /**
     * PSI = sum (ref - cur) ln(ref / cur) over bin shares; empty bins get a small share (0.0001,
     * or a millionth of the smallest share when that is smaller), as Evidently does.
     */
    public static double psi(double[] referenceShares, double[] currentShares) {
        double[] r = fillZeroes(referenceShares);
        double[] c = fillZeroes(currentShares);
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += (r[i] - c[i]) * Math.log(r[i] / c[i]);
        }
        return s;
    }

    /** Jensen-Shannon distance (the square root of the divergence), base 2, of two weight vectors (normalized first). */
    public static double jensenShannon(double[] p, double[] q) {
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < p.length; i++) {
            sp += p[i];
            sq += q[i];
        }
        double js = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / sp;
            double b = q[i] / sq;
            double m = (a + b) / 2;
            if (a > 0) {
                js += a * Math.log(a / m);
            }
            if (b > 0) {
                js += b * Math.log(b / m);
            }
        }
        return Math.sqrt(Math.max(0, js / 2) / Math.log(2));
    }

    /** First Wasserstein (earth mover's) distance between two samples. */
    public static double wasserstein(double[] reference, double[] current) {
        return wasserstein(SampleDistribution.numeric(reference), SampleDistribution.numeric(current));
    }

    /** Wasserstein distance divided by max(population std of the reference, 0.001). */
    public static double wassersteinNormalized(double[] reference, double[] current) {
        SampleDistribution r = SampleDistribution.numeric(reference);
        return wasserstein(r, SampleDistribution.numeric(current)) / Math.max(r.std(), 0.001);
    }

    static TestResult ks(Distribution a, Distribution b) {
        double d = 0;
        for (double[] pts : new double[][] {a.points(), b.points()}) {
            for (double x : pts) {
                d = Math.max(d, Math.abs(a.cdf(x) - b.cdf(x)));
            }
        }
        double n = a.count();
        double m = b.count();
        if (a instanceof SampleDistribution && b instanceof SampleDistribution && n * m <= EXACT_KS_MAX_PRODUCT) {
            return new TestResult(d, Distributions.ksExactSf((int) n, (int) m, d));
        }
        return new TestResult(d, Distributions.kolmogorovSf(d * Math.sqrt(n * m / (n + m))));
    }

    static double wasserstein(Distribution a, Distribution b) {
        if (a instanceof ProfileDistribution pa && b instanceof ProfileDistribution pb) {
            // W1 is also the integral over ranks of |Qa - Qb|; a t-digest is accurate in rank, not in value.
            double[] qa = pa.rankGrid();
            double[] qb = pb.rankGrid();
            double w = 0;
            for (int i = 0; i < qa.length; i++) {
                w += ProfileDistribution.WIDTHS[i] * Math.abs(qa[i] - qb[i]);
            }
            return w;
        }
        double[] pts = mergeSorted(a.points(), b.points());
        double w = 0;
        for (int i = 0; i + 1 < pts.length; i++) {
            double dx = pts[i + 1] - pts[i];
            if (dx > 0) {
                w += dx * Math.abs(a.cdf(pts[i]) - b.cdf(pts[i]));
            }
        }
        return w;
    }

    /** Bin shares of both sides: per value when counts are known and few, else Sturges bins of the combined range. */
    static double[][] binned(Distribution ref, Distribution cur) {
        if (ref.counts().isPresent() && cur.counts().isPresent()
                && (ref.kind() != FeatureKind.NUMERIC || ref.distinct() <= PER_VALUE_BINS_MAX_DISTINCT)) {
            Map<String, Long> rc = ref.counts().get();
            Map<String, Long> cc = cur.counts().get();
            List<String> keys = new ArrayList<>(new TreeSet<>(union(rc, cc)));
            double[][] out = new double[2][keys.size()];
            double nr = ref.count();
            double nc = cur.count();
            for (int i = 0; i < keys.size(); i++) {
                out[0][i] = rc.getOrDefault(keys.get(i), 0L) / nr;
                out[1][i] = cc.getOrDefault(keys.get(i), 0L) / nc;
            }
            return out;
        }
        double lo = Math.min(ref.min(), cur.min());
        double hi = Math.max(ref.max(), cur.max());
        int bins = (int) Math.ceil(Math.log(ref.count() + cur.count()) / Math.log(2) + 1);
        if (hi <= lo) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = new double[bins + 1];
        double step = (hi - lo) / bins;
        for (int i = 0; i <= bins; i++) {
            edges[i] = i * step + lo;
        }
        edges[bins] = hi;
        return new double[][] {shares(ref, edges), shares(cur, edges)};
    }

    private static double[] shares(Distribution d, double[] edges) {
        int bins = edges.length - 1;
        double[] s = new double[bins];
        double prev = 0;
        for (int i = 0; i < bins; i++) {
            double upTo = i == bins - 1 ? d.cdf(edges[bins]) : d.shareBelow(edges[i + 1]);
            s[i] = Math.max(0, upTo - prev);
            prev = upTo;
        }
        return s;
    }

    private static double[] fillZeroes(double[] shares) {
        double minNonZero = Double.POSITIVE_INFINITY;
        for (double v : shares) {
            if (v > 0) {
                minNonZero = Math.min(minNonZero, v);
            }
        }
        double fill = minNonZero <= 0.0001 ? minNonZero / 1e6 : 0.0001;
        double[] out = shares.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = fill;
            }
        }
        return out;
    }

    private static double[] mergeSorted(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        java.util.Arrays.sort(out);
        return out;
    }

    private static java.util.Set<String> union(Map<String, Long> a, Map<String, Long> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
