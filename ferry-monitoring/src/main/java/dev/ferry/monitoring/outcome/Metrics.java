package dev.ferry.monitoring.outcome;

import java.util.Arrays;

/**
 * The accuracy measures themselves, on plain arrays: AUC (the Mann-Whitney statistic over
 * average ranks, so ties count one half), log loss (probabilities clipped to [1e-15, 1-1e-15]),
 * accuracy at a threshold, MAE and RMSE. A measure that is undefined for its input (AUC with one
 * class only, anything on no rows) is {@code NaN}.
 */
public final class Metrics {

    static final double EPS = 1e-15;

    private Metrics() {
    }

    /** Area under the ROC curve of {@code scores} for binary {@code labels} (0/1). */
    public static double auc(double[] scores, double[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1.0) {
                    positiveRankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
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
