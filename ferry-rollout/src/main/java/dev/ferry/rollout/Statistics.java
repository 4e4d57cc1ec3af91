package dev.ferry.rollout;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/** The tests the built-in gates use; Apache Commons Math does the distributions. */
final class Statistics {

    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

    private Statistics() {
    }

    /** A z statistic and its one-sided p-value. */
    record ZTest(double z, double p) {
    }

    /**
     * One-sided two-proportion z-test of H0: {@code p1 - p2 <= margin} against H1: {@code p1 - p2 > margin},
     * where p1 = x1/n1 is the candidate's rate and p2 = x2/n2 the champion's. With no margin the
     * standard error pools both samples (the textbook test, equal to the 2x2 chi-square without
     * continuity correction); with a margin it uses each sample's own variance.
     */
    static ZTest twoProportion(long x1, long n1, long x2, long n2, double margin) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double se;
        if (margin == 0) {
            double pooled = (double) (x1 + x2) / (n1 + n2);
            se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        } else {
            se = Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
        }
        double diff = p1 - p2 - margin;
        if (se == 0) {
            // both rates are 0 or both 1: no evidence of a difference unless the rates themselves differ
            return new ZTest(diff > 0 ? Double.POSITIVE_INFINITY : 0, diff > 0 ? 0 : 1);
        }
        double z = diff / se;
        return new ZTest(z, 1 - NORMAL.cumulativeProbability(z));
    }

    /** The {@code q}-th percentile (0-100) by Commons Math's default estimator; NaN when empty. */
    static double percentile(double[] values, double q) {
        return values.length == 0 ? Double.NaN : new Percentile().evaluate(values, q);
    }

    /** A two-sample Kolmogorov-Smirnov distance and its p-value. */
    record KsTest(double distance, double p) {
    }

    static KsTest ks(double[] a, double[] b) {
        KolmogorovSmirnovTest test = new KolmogorovSmirnovTest();
        double d = test.kolmogorovSmirnovStatistic(a, b);
        // the exact p-value is costly for large samples: Commons Math uses the asymptotic one above 10,000 pairs
        return new KsTest(d, test.kolmogorovSmirnovTest(a, b, false));
    }

    /**
     * The population stability index of {@code actual} against {@code expected} over ten bins at
     * the deciles of {@code expected}; reported beside the KS distance (0.1 is a moderate and
     * 0.25 a large shift by the usual reading).
     */
    static double psi(double[] expected, double[] actual) {
        int bins = 10;
        double[] edges = new double[bins - 1];
        Percentile p = new Percentile();
        p.setData(expected);
        for (int i = 1; i < bins; i++) {
            edges[i - 1] = p.evaluate(i * 100.0 / bins);
        }
        double[] e = histogram(expected, edges);
        double[] a = histogram(actual, edges);
        double psi = 0;
        for (int i = 0; i < bins; i++) {
            // a small floor keeps an empty bin from making the index infinite
            double ei = Math.max(e[i], 1e-4);
            double ai = Math.max(a[i], 1e-4);
            psi += (ai - ei) * Math.log(ai / ei);
        }
        return psi;
    }

    private static double[] histogram(double[] values, double[] edges) {
        double[] h = new double[edges.length + 1];
        for (double v : values) {
            int i = java.util.Arrays.binarySearch(edges, v);
            int bin = i >= 0 ? i : -i - 1;
            h[bin]++;
        }
        for (int i = 0; i < h.length; i++) {
            h[i] /= values.length;
        }
        return h;
    }
}
