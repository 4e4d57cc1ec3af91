package dev.ferry.monitoring.outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicted probability against observed rate, in equal-width buckets over [0, 1] (a probability
 * of exactly 1 falls in the last bucket), and the expected calibration error: the bucket gaps
 * |mean predicted - observed rate| weighted by each bucket's share of rows. Empty buckets are kept
 * with a count of zero and NaN means.
 */
public record Calibration(List<Bucket> buckets, double expectedCalibrationError) {

    /** One bucket: its range, rows, mean predicted probability and observed positive rate. */
    public record Bucket(double lower, double upper, long count, double meanPredicted, double observedRate) {
    }

    public Calibration {
        buckets = List.copyOf(buckets);
    }

    public static Calibration of(double[] p, double[] labels, int bucketCount) {
        if (bucketCount <= 0) {
            throw new dev.ferry.InvalidInputException("calibration buckets was " + bucketCount + " but it must be positive");
        }
        long[] n = new long[bucketCount];
        double[] sumP = new double[bucketCount];
        double[] sumY = new double[bucketCount];
        for (int i = 0; i < p.length; i++) {
            int b = Math.min(bucketCount - 1, Math.max(0, (int) Math.floor(p[i] * bucketCount)));
            n[b]++;
            sumP[b] += p[i];
            sumY[b] += labels[i];
        }
        List<Bucket> out = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < bucketCount; b++) {
            double meanP = n[b] == 0 ? Double.NaN : sumP[b] / n[b];
            double rate = n[b] == 0 ? Double.NaN : sumY[b] / n[b];
            out.add(new Bucket((double) b / bucketCount, (double) (b + 1) / bucketCount, n[b], meanP, rate));
            if (n[b] > 0) {
                ece += (double) n[b] / p.length * Math.abs(meanP - rate);
            }
        }
        return new Calibration(out, p.length == 0 ? Double.NaN : ece);
    }
}
