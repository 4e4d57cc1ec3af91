package dev.ferry.monitoring.outcome;

import dev.ferry.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares two arms of a deployment on the same outcomes period (for example a holdout arm still
 * served by the previous model against the current one): for each metric the difference
 * {@code b - a}, a normal-approximation confidence interval and a two-sided p-value. Accuracy uses
 * the two-proportion test (pooled for the p-value), AUC the Hanley-McNeil standard error, MAE and
 * MSE (mean squared error) Welch's standard error of the mean absolute (squared) error. The arms are treated as
 * independent samples, as they are when requests are split between arms.
 */
public final class ArmComparison {

    /** One metric's comparison. */
    public record Difference(String metric, double a, double b, double difference, double lower, double upper,
                             double pValue, long countA, long countB) {
    }

    private ArmComparison() {
    }

    /**
     * @param outcomes   joined outcomes (others than the deployment's two arms are ignored)
     * @param confidence the interval's level, e.g. 0.95
     */
    public static List<Difference> compare(List<JoinedOutcome> outcomes, String deployment, String armA, String armB,
                                           AccuracyOptions o, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new InvalidInputException("confidence was " + confidence + " but it must be between 0 and 1 (exclusive)");
        }
        double[][] a = arm(outcomes, deployment, armA, o);
        double[][] b = arm(outcomes, deployment, armB, o);
        double z = Normal.quantile(1 - (1 - confidence) / 2);
        List<Difference> out = new ArrayList<>();
        if (o.task() == Task.CLASSIFICATION) {
            out.add(accuracy(a, b, o.threshold(), z));
            out.add(auc(a, b, z));
        } else {
            out.add(meanError("mae", errors(a, false), errors(b, false), z));
            out.add(meanError("mse", errors(a, true), errors(b, true), z));
        }
        return out;
    }

    private static double[][] arm(List<JoinedOutcome> outcomes, String deployment, String arm, AccuracyOptions o) {
        List<JoinedOutcome> g = outcomes.stream()
                .filter(j -> j.prediction().deployment().equals(deployment) && j.prediction().arm().equals(arm)).toList();
        if (g.isEmpty()) {
            throw new InvalidInputException("arm was '" + arm + "' but deployment " + deployment + " has no outcomes for it");
        }
        double[][] sy = new double[2][g.size()];
        for (int i = 0; i < g.size(); i++) {
            sy[0][i] = Scores.score(g.get(i), o.scoreField());
            sy[1][i] = g.get(i).label();
        }
        return sy;
    }

    private static Difference accuracy(double[][] a, double[][] b, double threshold, double z) {
        int na = a[0].length;
        int nb = b[0].length;
        long ca = Metrics.correct(a[0], a[1], threshold);
        long cb = Metrics.correct(b[0], b[1], threshold);
        double pa = (double) ca / na;
        double pb = (double) cb / nb;
        double d = pb - pa;
        double se = Math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb);
        double pooled = (double) (ca + cb) / (na + nb);
        double se0 = Math.sqrt(pooled * (1 - pooled) * (1.0 / na + 1.0 / nb));
        double p = se0 == 0 ? (d == 0 ? 1 : 0) : Normal.twoSidedP(d / se0);
        return new Difference("accuracy", pa, pb, d, d - z * se, d + z * se, p, na, nb);
    }

    private static Difference auc(double[][] a, double[][] b, double z) {
        double aa = Metrics.auc(a[0], a[1]);
        double ab = Metrics.auc(b[0], b[1]);
        double se = Math.sqrt(hanleyMcNeilVariance(aa, a[1]) + hanleyMcNeilVariance(ab, b[1]));
        double d = ab - aa;
        double p = se == 0 || Double.isNaN(se) ? Double.NaN : Normal.twoSidedP(d / se);
        return new Difference("auc", aa, ab, d, d - z * se, d + z * se, p, a[0].length, b[0].length);
    }

    static double hanleyMcNeilVariance(double auc, double[] labels) {
        long pos = 0;
        for (double y : labels) {
            pos += (long) y;
        }
        long neg = labels.length - pos;
        double q1 = auc / (2 - auc);
        double q2 = 2 * auc * auc / (1 + auc);
        return (auc * (1 - auc) + (pos - 1) * (q1 - auc * auc) + (neg - 1) * (q2 - auc * auc)) / ((double) pos * neg);
    }

    private static double[] errors(double[][] sy, boolean squared) {
        double[] e = new double[sy[0].length];
        for (int i = 0; i < e.length; i++) {
            double d = sy[0][i] - sy[1][i];
            e[i] = squared ? d * d : Math.abs(d);
        }
        return e;
    }

    private static Difference meanError(String metric, double[] ea, double[] eb, double z) {
        double ma = mean(ea);
        double mb = mean(eb);
        double se = Math.sqrt(variance(ea, ma) / ea.length + variance(eb, mb) / eb.length);
        double d = mb - ma;
        double p = se == 0 ? (d == 0 ? 1 : 0) : Normal.twoSidedP(d / se);
        return new Difference(metric, ma, mb, d, d - z * se, d + z * se, p, ea.length, eb.length);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double variance(double[] v, double mean) {
        if (v.length < 2) {
            return 0;
        }
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }
}
