package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void theTwoProportionZTestAgreesWithThePearsonChiSquareOnTheSameTable() {
        long[][] cases = {{30, 1000, 12, 1000}, {77, 352, 40, 7648}, {5, 200, 3, 180}, {120, 4000, 95, 3900}};
        for (long[] c : cases) {
            Statistics.ZTest z = Statistics.twoProportion(c[0], c[1], c[2], c[3], 0);
            long[][] table = {{c[0], c[1] - c[0]}, {c[2], c[3] - c[2]}};
            // Pearson's chi-square on a 2x2 table (no continuity correction) is z squared, and its
            // two-sided p-value is twice the one-sided p of a positive z
            assertThat(z.z() * z.z()).isCloseTo(new ChiSquareTest().chiSquare(table), within(1e-9));
            double twoSided = new ChiSquareTest().chiSquareTest(table);
            assertThat(z.z() > 0 ? 2 * z.p() : 2 * (1 - z.p())).isCloseTo(twoSided, within(1e-9));
        }
    }

    @Test
    void aWorkedExampleGivesTheStatisticComputedByHand() {
        // 120/400 against 90/400: pooled rate 0.2625, z = 0.075 / sqrt(0.2625 * 0.7375 * (2 / 400)) = 2.4106
        Statistics.ZTest z = Statistics.twoProportion(120, 400, 90, 400, 0);
        assertThat(z.z()).isCloseTo(2.4106, within(0.0001));
        // one-sided p = 1 - Phi(2.4106), 0.00796
        assertThat(z.p()).isCloseTo(0.00796, within(0.00001));
    }

    @Test
    void aMarginShiftsTheNullHypothesis() {
        // 3 % against 2 % on 10,000 each: significant with no margin, not with a margin of 2 points
        assertThat(Statistics.twoProportion(300, 10_000, 200, 10_000, 0).p()).isLessThan(0.001);
        assertThat(Statistics.twoProportion(300, 10_000, 200, 10_000, 0.02).p()).isGreaterThan(0.5);
    }

    @Test
    void equalRatesOfZeroAreNoEvidence() {
        assertThat(Statistics.twoProportion(0, 500, 0, 500, 0).p()).isEqualTo(1.0);
    }

    @Test
    void psiIsZeroForTheSameSampleAndGrowsWithAShift() {
        double[] a = new double[1000];
        double[] b = new double[1000];
        for (int i = 0; i < a.length; i++) {
            a[i] = i / 1000.0;
            b[i] = i / 1000.0 + 0.3;
        }
        assertThat(Statistics.psi(a, a)).isCloseTo(0, within(1e-12));
        assertThat(Statistics.psi(a, b)).isGreaterThan(0.25);
        assertThat(Statistics.ks(a, b).distance()).isCloseTo(0.3, within(0.002));
    }
}
