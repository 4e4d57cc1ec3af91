package dev.ferry.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/** Checks the statistics against Apache Commons Math 3.6.1 and values published in scipy's documentation. */
class DriftStatisticsTest {

    @Test
    void wassersteinMatchesScipysDocumentedExample() {
        // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) == 5.0
        assertThat(DriftStatistics.wasserstein(new double[] {0, 1, 3}, new double[] {5, 6, 8})).isCloseTo(5.0, within(1e-12));
        // scipy.stats.wasserstein_distance([0, 1], [0, 1]) == 0.0
        assertThat(DriftStatistics.wasserstein(new double[] {0, 1}, new double[] {0, 1})).isEqualTo(0.0);
    }

    @Test
    void jensenShannonMatchesScipysDocumentedExamples() {
        // scipy.spatial.distance.jensenshannon([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], 2.0) == 1.0
        assertThat(DriftStatistics.jensenShannon(new double[] {1, 0, 0}, new double[] {0, 1, 0})).isCloseTo(1.0, within(1e-12));
        assertThat(DriftStatistics.jensenShannon(new double[] {1, 0}, new double[] {0, 1})).isCloseTo(1.0, within(1e-12));
        // jensenshannon([1.0, 0.0], [0.5, 0.5]) == 0.46450140402245893 in natural log; base 2 divides by sqrt(ln 2)
        assertThat(DriftStatistics.jensenShannon(new double[] {1, 0}, new double[] {0.5, 0.5}) * Math.sqrt(Math.log(2)))
                .isCloseTo(0.46450140402245893, within(1e-12));
        // jensenshannon([1.0, 0.0, 0.0], [1.0, 0.0, 0.0]) == 0.0
        assertThat(DriftStatistics.jensenShannon(new double[] {1, 0, 0}, new double[] {1, 0, 0})).isEqualTo(0.0);
    }

    @Test
    void psiIsTheSumOfShareDifferencesTimesTheirLogRatio() {
        double expected = (0.5 - 0.25) * Math.log(0.5 / 0.25) + (0.5 - 0.75) * Math.log(0.5 / 0.75);
        assertThat(DriftStatistics.psi(new double[] {0.5, 0.5}, new double[] {0.25, 0.75})).isCloseTo(expected, within(1e-15));
        double filled = (0.5 - 0.0001) * Math.log(0.5 / 0.0001) + (0.5 - 1) * Math.log(0.5 / 1.0);
        assertThat(DriftStatistics.psi(new double[] {0.5, 0.5}, new double[] {0, 1})).isCloseTo(filled, within(1e-12));
    }

    @Test
    void kolmogorovSmirnovAgreesWithCommonsMath() {
        Random r = new Random(11);
        KolmogorovSmirnovTest oracle = new KolmogorovSmirnovTest();
        for (double shift : new double[] {0.0, 0.05, 0.1, 0.3}) {
            double[] a = r.doubles(500).map(x -> r.nextGaussian()).toArray();
            double[] b = r.doubles(700).map(x -> r.nextGaussian() + shift).toArray();
            TestResult ours = DriftStatistics.ks(a, b);
            assertThat(ours.statistic()).isCloseTo(oracle.kolmogorovSmirnovStatistic(a, b), within(1e-12));
            // Commons Math uses the asymptotic distribution at these sizes, Ferry the exact one
            assertThat(ours.pValue()).isCloseTo(oracle.kolmogorovSmirnovTest(a, b), within(0.02));
        }
    }

    static double[] golden(int n, double mult, double scale, double shift) {
        double[] out = new double[n];
        for (int i = 1; i <= n; i++) {
            out[i - 1] = ((i * mult) % 1.0) * scale + shift;
        }
        return out;
    }

    @Test
    void exactKolmogorovSmirnovPValuesMatchScipy() {
        // x_i = frac(i * 0.618...) for i = 1..n, y_j = frac(j * 0.414...) * scale + shift; expected values from
        // scipy 1.17.1: ks_2samp(x, y, method='exact')
        double[][] cases = {
            {40, 55, 1.1, 0.05, 0.17954545454545454, 0.39171725549361813},
            {100, 100, 1.0, 0.12, 0.13, 0.36818778606286096},
            {300, 420, 1.2, 0.0, 0.17047619047619048, 6.548518660334951e-05},
            {25, 30, 1.0, 0.3, 0.3466666666666667, 0.05843044844034878},
            {700, 900, 1.0, 0.02, 0.02492063492063492, 0.9616045453128385},
        };
        for (double[] c : cases) {
            double[] x = golden((int) c[0], 0.6180339887498949, 1.0, 0.0);
            double[] y = golden((int) c[1], 0.4142135623730951, c[2], c[3]);
            TestResult r = DriftStatistics.ks(x, y);
            assertThat(r.statistic()).as("D for %s x %s", c[0], c[1]).isCloseTo(c[4], within(1e-12));
            assertThat(r.pValue()).as("p for %s x %s", c[0], c[1]).isCloseTo(c[5], within(1e-9 + 1e-7 * c[5]));
        }
    }

    @Test
    void kolmogorovTailAgreesWithCommonsMathOverItsWholeRange() {
        KolmogorovSmirnovTest oracle = new KolmogorovSmirnovTest();
        for (double d = 0.005; d < 0.3; d += 0.005) {
            double p = oracle.approximateP(d, 400, 900);
            assertThat(Distributions.kolmogorovSf(d * Math.sqrt(400.0 * 900 / 1300))).as("d=%s", d).isCloseTo(p, within(1e-9));
        }
    }

    @Test
    void chiSquareAgreesWithCommonsMath() {
        Map<String, Long> ref = new LinkedHashMap<>(Map.of("a", 120L, "b", 300L, "c", 80L, "d", 500L));
        Map<String, Long> cur = new LinkedHashMap<>(Map.of("a", 70L, "b", 150L, "c", 60L, "d", 220L));
        TestResult ours = DriftStatistics.chiSquare(ref, cur);
        double[] expected = {120, 300, 80, 500};
        long[] observed = {70, 150, 60, 220};
        ChiSquareTest oracle = new ChiSquareTest();
        assertThat(ours.statistic()).isCloseTo(oracle.chiSquare(expected, observed), within(1e-9));
        assertThat(ours.pValue()).isCloseTo(oracle.chiSquareTest(expected, observed), within(1e-12));
    }

    @Test
    void chiSquareTailAgreesWithCommonsMath() {
        for (int df = 1; df <= 40; df += 3) {
            ChiSquaredDistribution oracle = new ChiSquaredDistribution(df);
            for (double x = 0.1; x < 120; x *= 1.7) {
                assertThat(Distributions.chiSquareSf(x, df)).as("df=%s x=%s", df, x)
                        .isCloseTo(1 - oracle.cumulativeProbability(x), within(1e-10));
            }
        }
    }

    @Test
    void zTestIsThePooledTwoProportionTest() {
        Map<String, Long> ref = Map.of("no", 600L, "yes", 400L);
        Map<String, Long> cur = Map.of("no", 520L, "yes", 480L);
        double p1 = 0.4;
        double p2 = 0.48;
        double pooled = 0.44;
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (2.0 / 1000));
        TestResult ours = DriftStatistics.zTest(ref, cur);
        assertThat(ours.statistic()).isCloseTo(z, within(1e-12));
        assertThat(ours.pValue()).isCloseTo(2 * (1 - new NormalDistribution().cumulativeProbability(Math.abs(z))), within(1e-10));
    }
}
