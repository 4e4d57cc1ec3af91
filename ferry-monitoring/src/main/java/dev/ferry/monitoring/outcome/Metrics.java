package dev.ferry.monitoring.outcome;

import java.util.Arrays;

/**
 * The accuracy measures themselves, on plain arrays: AUC (the Mann-Whitney statistic over
 * pairs, so ties count one half), log loss (probabilities clipped to [1e-15, 1-1e-15]),
 * accuracy at a threshold, MAE and RMSE. A measure that is undefined for its input (AUC with one
 * class only, anything on no rows) is {@code NaN}.
 */
public final class Metrics {

    static final double EPS = 1e-15;

    private Metrics() {
    }

    /**
     * Area under the ROC curve of {@code scores} for binary {@code labels} (1 is positive, anything
     * else negative): the share of (positive, negative) pairs the scores order correctly, a tie
     * counting one half, which is the Mann-Whitney U of the positives over {@code n1 * n0}.
     * Computed on two sorted primitive arrays in O(n log n).
     */
    public static double auc(double[] scores, double[] labels) {
        int positives = 0;
        for (double y : labels) {
            if (y == 1.0) {
                positives++;
            }
        }
        int negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double[] pos = new double[positives];
        double[] neg = new double[negatives];
        for (int i = 0, p = 0, q = 0; i < scores.length; i++) {
            if (labels[i] == 1.0) {
                pos[p++] = scores[i];
            } else {
                neg[q++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        double u = 0;
        int below = 0;
        int atOrBelow = 0;
        for (double s : pos) {
            while (below < neg.length && neg[below] < s) {
                below++;
            }
            if (atOrBelow < below) {
                atOrBelow = below;
            }
            while (atOrBelow < neg.length && neg[atOrBelow] <= s) {
                atOrBelow++;
            }
            u += below + (atOrBelow - below) / 2.0;
        }
        return u / ((double) positives * negatives);
    }

    /** Mean negative log-likelihood of binary {@code labels} under probabilities {@code p}. */
    public static double logLoss(double[] p, double[] labels) {
        if (p.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - EPS, Math.max(EPS, p[i]));
            sum -= labels[i] == 1.0 ? Math.log(q) : Math.log(1 - q);
        }
        return sum / p.length;
    }

    /** Share of rows whose class (score at or above {@code threshold} is 1) equals the label. */
    public static double accuracy(double[] scores, double[] labels, double threshold) {
        if (scores.length == 0) {
            return Double.NaN;
        }
        return (double) correct(scores, labels, threshold) / scores.length;
    }

    static long correct(double[] scores, double[] labels, double threshold) {
        long c = 0;
        for (int i = 0; i < scores.length; i++) {
            if ((scores[i] >= threshold ? 1.0 : 0.0) == labels[i]) {
                c++;
            }
        }
        return c;
    }

    /** Mean absolute error. */
    public static double mae(double[] predicted, double[] actual) {
        if (predicted.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < predicted.length; i++) {
            s += Math.abs(predicted[i] - actual[i]);
        }
        return s / predicted.length;
    }

    /** Root mean squared error. */
    public static double rmse(double[] predicted, double[] actual) {
        if (predicted.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < predicted.length; i++) {
            double d = predicted[i] - actual[i];
            s += d * d;
        }
        return Math.sqrt(s / predicted.length);
    }
}
