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
}
