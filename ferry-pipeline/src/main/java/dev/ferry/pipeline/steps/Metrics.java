package dev.ferry.pipeline.steps;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Evaluation metrics of held-out predictions. */
final class Metrics {

    private static final double EPS = 1e-15;

    private Metrics() {
    }

    /** AUC (rank-sum formula, ties averaged), log loss and accuracy at 0.5 for probabilities of the positive class. */
    static Map<String, Double> binary(float[] p, float[] y) {
        double logloss = 0;
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - EPS, Math.max(EPS, p[i]));
            logloss -= y[i] > 0.5f ? Math.log(q) : Math.log(1 - q);
            if ((p[i] >= 0.5f) == (y[i] > 0.5f)) {
                correct++;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("auc", auc(p, y));
        m.put("logloss", logloss / p.length);
        m.put("accuracy", correct / (double) p.length);
        return m;
    }

    static Map<String, Double> regression(float[] p, float[] y) {
        double se = 0;
        double ae = 0;
        for (int i = 0; i < p.length; i++) {
            double d = p[i] - (double) y[i];
            se += d * d;
            ae += Math.abs(d);
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", Math.sqrt(se / p.length));
        m.put("mae", ae / p.length);
        return m;
    }

    static double auc(float[] scores, float[] labels) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]] > 0.5f) {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    }
}
