package dev.ferry.monitoring.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void perfectlySeparatedScoresHaveAucOneAndReversedZero() {
        double[] y = {0, 0, 0, 1, 1};
        assertThat(Metrics.auc(new double[] {0.1, 0.2, 0.3, 0.8, 0.9}, y)).isEqualTo(1.0);
        assertThat(Metrics.auc(new double[] {0.9, 0.8, 0.7, 0.2, 0.1}, y)).isEqualTo(0.0);
    }

    @Test
    void allTiedScoresHaveAucOneHalf() {
        assertThat(Metrics.auc(new double[] {0.4, 0.4, 0.4, 0.4}, new double[] {0, 1, 0, 1})).isEqualTo(0.5);
    }

    @Test
    void aucWithOneClassOnlyIsUndefined() {
        assertThat(Metrics.auc(new double[] {0.1, 0.9}, new double[] {1, 1})).isNaN();
    }

    @Test
    void aucEqualsTheMannWhitneyStatisticOfCommonsMath() {
        Random r = new Random(7);
        int n = 2000;
        double[] s = new double[n];
        double[] y = new double[n];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.3 ? 1 : 0;
            // rounded to two decimals so that ties occur, as they do with real probabilities
            s[i] = Math.round((r.nextGaussian() + y[i]) * 100) / 100.0;
            pos += (int) y[i];
        }
        double[] positives = new double[pos];
        double[] negatives = new double[n - pos];
        for (int i = 0, p = 0, q = 0; i < n; i++) {
            if (y[i] == 1) {
                positives[p++] = s[i];
            } else {
                negatives[q++] = s[i];
            }
        }
        double u = new MannWhitneyUTest().mannWhitneyU(positives, negatives);
        double auc = Metrics.auc(s, y);
        // commons-math returns max(U1, U2); our AUC is U1 / (n1 * n0) and above one half here
        assertThat(auc).isGreaterThan(0.5);
        assertThat(auc).isCloseTo(u / ((double) pos * (n - pos)), within(1e-12));
    }

    @Test
    void logLossAccuracyMaeAndRmseMatchHandComputedValues() {
        double[] p = {0.9, 0.2, 0.6, 0.4};
        double[] y = {1, 0, 0, 1};
        double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.4)) / 4;
        assertThat(Metrics.logLoss(p, y)).isCloseTo(expected, within(1e-12));
        assertThat(Metrics.accuracy(p, y, 0.5)).isEqualTo(0.5);
        assertThat(Metrics.accuracy(p, y, 0.3)).isEqualTo(0.75);
        assertThat(Metrics.mae(new double[] {1, 2, 3}, new double[] {2, 2, 5})).isEqualTo(1.0);
        assertThat(Metrics.rmse(new double[] {1, 2, 3}, new double[] {2, 2, 5})).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
    }

    @Test
    void logLossOfACertainWrongAnswerIsFiniteThroughClipping() {
        assertThat(Metrics.logLoss(new double[] {1.0}, new double[] {0})).isCloseTo(-Math.log(1e-15), within(1e-3));
    }

    @Test
    void calibrationPutsProbabilitiesInEqualWidthBucketsAndWeighsTheGaps() {
        double[] p = {0.05, 0.05, 0.95, 0.95, 1.0};
        double[] y = {0, 1, 1, 1, 1};
        Calibration c = Calibration.of(p, y, 10);
        assertThat(c.buckets()).hasSize(10);
        assertThat(c.buckets().getFirst().count()).isEqualTo(2);
        assertThat(c.buckets().getFirst().observedRate()).isEqualTo(0.5);
        assertThat(c.buckets().getLast().count()).isEqualTo(3);
        assertThat(c.buckets().get(5).count()).isZero();
        double lastMean = (0.95 + 0.95 + 1.0) / 3;
        double ece = 2.0 / 5 * Math.abs(0.05 - 0.5) + 3.0 / 5 * Math.abs(lastMean - 1.0);
        assertThat(c.expectedCalibrationError()).isCloseTo(ece, within(1e-12));
    }

    @Test
    void normalDistributionAgreesWithCommonsMath() {
        NormalDistribution n = new NormalDistribution();
        for (double z = -5; z <= 5; z += 0.25) {
            assertThat(Normal.cdf(z)).isCloseTo(n.cumulativeProbability(z), within(1e-7));
        }
        assertThat(Normal.quantile(0.975)).isCloseTo(n.inverseCumulativeProbability(0.975), within(1e-5));
    }
}
