package dev.ferry.rollout;

/**
 * What one side of the comparison (the champion or the candidate) did during the current stage:
 * request counts by outcome, recent latencies in milliseconds and recent numeric predictions.
 * The arrays hold at most the window's capacity of the latest values.
 *
 * @param requests   requests routed (or mirrored) to it
 * @param errors     requests on which its model failed or ran out of time
 * @param fallbacks  requests the fallback chain answered instead
 * @param latencyMillis recent latencies
 * @param predictions   recent predictions of the compared output
 * @param shadow     whether its figures come from mirrored calls
 */
public record ArmSample(long requests, long errors, long fallbacks, double[] latencyMillis, double[] predictions, boolean shadow) {

    public static final ArmSample EMPTY = new ArmSample(0, 0, 0, new double[0], new double[0], false);

    /** This sample and {@code other} together: counts added, values of both kept. */
    public ArmSample merge(ArmSample other) {
        return new ArmSample(requests + other.requests, errors + other.errors, fallbacks + other.fallbacks,
                concat(latencyMillis, other.latencyMillis), concat(predictions, other.predictions), shadow);
    }

    /** The same counts with at most the latest {@code max} values of each kind, for publishing. */
    ArmSample latest(int max) {
        return new ArmSample(requests, errors, fallbacks, tail(latencyMillis, max), tail(predictions, max), shadow);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] tail(double[] a, int max) {
        return a.length <= max ? a : java.util.Arrays.copyOfRange(a, a.length - max, a.length);
    }
}
