package dev.ferry.monitoring.drift;

/**
 * Tail probabilities the tests need: the chi-square survival function (through the regularized
 * upper incomplete gamma function, series and Lentz continued fraction as in Numerical Recipes
 * 6.2), the limiting Kolmogorov distribution, and the exact two-sample Kolmogorov-Smirnov
 * distribution. Checked against Apache Commons Math and scipy in tests.
 */
final class Distributions {

    private static final double EPS = 1e-15;
    private static final int MAX_ITER = 10_000;
    private static final double[] LANCZOS = {
        0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
        -0.49191381609762019978, .33994649984811888699e-4, .46523628927048575665e-4, -.98374475304879564677e-4,
        .15808870322491248884e-3, -.21026444172410488319e-3, .21743961811521264320e-3, -.16431810653676389022e-3,
        .84418223983852743293e-4, -.26190838401581408670e-4, .36899182659531622704e-5,
    };
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private Distributions() {
    }

    /** P(X > x) for X chi-square with {@code df} degrees of freedom. */
    static double chiSquareSf(double x, double df) {
        if (Double.isInfinite(x)) {
            return 0.0;
        }
        if (x <= 0) {
            return 1.0;
        }
        return regularizedGammaQ(df / 2, x / 2);
    }

    /** Two-sided P(|Z| > |z|) for a standard normal Z. */
    static double normalTwoSided(double z) {
        return chiSquareSf(z * z, 1);
    }

    /** P(K > lambda) for the Kolmogorov distribution: 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2). */
    static double kolmogorovSf(double lambda) {
        if (lambda <= 0) {
            return 1.0;
        }
        if (lambda < 0.3) {
            // The alternating series converges slowly here; use the theta-function form of the CDF.
            double s = 0;
            double c = Math.PI * Math.PI / (8 * lambda * lambda);
            for (int k = 1; k <= 50; k += 2) {
                s += Math.exp(-k * k * c);
            }
            return 1.0 - Math.sqrt(2 * Math.PI) / lambda * s;
        }
        double sum = 0;
        for (int k = 1; k <= 200; k++) {
            double term = Math.exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-18) {
                break;
            }
        }
        return Math.max(0.0, Math.min(1.0, 2 * sum));
    }

    /**
     * Exact two-sided P(D >= d) for the two-sample Kolmogorov-Smirnov statistic of samples of
     * sizes m and n without ties: the share of the C(m+n, n) equally likely lattice paths from
     * (0, 0) to (m, n) that leave the band |x/m - y/n| &lt; d (Hodges 1958), with d rounded to the
     * lattice as scipy's {@code ks_2samp(method='exact')} does. The walk is carried as
     * probabilities (a step right from (x, y) has probability (m - x) / (m + n - x - y)), so nothing
     * overflows; it costs O(m n).
     */
    static double ksExactSf(int m, int n, double d) {
        long g = gcd(m, n);
        double lcm = (double) (m / g) * n;
        long h = Math.round(d * lcm);
        if (h == 0) {
            return 1.0;
        }
        long bound = h * g;
        double[] q = new double[n + 1];
        for (int x = 0; x <= m; x++) {
            for (int y = 0; y <= n; y++) {
                if (x == 0 && y == 0) {
                    q[0] = 1.0;
                    continue;
                }
                if (Math.abs((long) x * n - (long) y * m) >= bound) {
                    q[y] = 0.0;
                    continue;
                }
                double remaining = m + n - x - y + 1;
                double fromLeft = x > 0 ? q[y] * (m - x + 1) / remaining : 0.0;
                double fromBelow = y > 0 ? q[y - 1] * (n - y + 1) / remaining : 0.0;
                q[y] = fromLeft + fromBelow;
            }
        }
        return Math.max(0.0, Math.min(1.0, 1.0 - q[n]));
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static double regularizedGammaQ(double a, double x) {
        if (x < a + 1) {
            return 1.0 - gammaPSeries(a, x);
        }
        return gammaQContinuedFraction(a, x);
    }

    private static double gammaPSeries(double a, double x) {
        double ap = a;
        double del = 1.0 / a;
        double sum = del;
        for (int n = 0; n < MAX_ITER; n++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (Math.abs(del) < Math.abs(sum) * EPS) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    private static double gammaQContinuedFraction(double a, double x) {
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITER; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** log Gamma(x) for x > 0 (Lanczos, g = 607/128, as used by Boost and Commons Math). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double g = 607.0 / 128.0;
        double sum = LANCZOS[0];
        for (int i = LANCZOS.length - 1; i > 0; i--) {
            sum += LANCZOS[i] / (x - 1 + i);
        }
        double t = x - 1 + g + 0.5;
        return HALF_LOG_2PI + (x - 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
