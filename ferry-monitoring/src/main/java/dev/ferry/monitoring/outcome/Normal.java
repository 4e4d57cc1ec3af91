package dev.ferry.monitoring.outcome;

/**
 * The standard normal distribution's CDF (through the complementary error function of Numerical
 * Recipes, fractional error below 1.2e-7) and its quantile (by bisection on the CDF), enough for
 * confidence intervals and two-sided p-values without a statistics library at run time.
 */
final class Normal {

    private Normal() {
    }

    static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    static double twoSidedP(double z) {
        return erfc(Math.abs(z) / Math.sqrt(2));
    }

    static double quantile(double p) {
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (cdf(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
