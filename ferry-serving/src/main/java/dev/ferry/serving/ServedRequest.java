package dev.ferry.serving;

import dev.ferry.types.Row;
import java.util.Optional;

/**
 * What became of one request on one arm (or on the shadow): the per-arm figures a staged
 * rollout compares between a candidate and its champion. {@link ServedListener}s receive one
 * per request; the prediction log has the same answers but not the failures.
 *
 * @param deployment   the deployment
 * @param arm          the arm routed to, or {@code shadow} for a mirrored call
 * @param model        the model the arm (or shadow) runs, even when a fallback answered
 * @param version      its version
 * @param shadow       whether this was a mirrored call whose answer went nowhere
 * @param outcome      answered by the model, by the fallback chain, or not at all
 * @param latencyNanos for a routed request from its arrival to its answer; for a shadow call the model run
 * @param output       the model's answer when it answered
 */
public record ServedRequest(String deployment, String arm, String model, int version, boolean shadow, Outcome outcome,
                            long latencyNanos, Optional<Row> output) {

    /** How a request ended for the model it was routed to. */
    public enum Outcome {
        /** The model answered within the budget. */
        ANSWERED,
        /** The model failed or ran out of time and the fallback chain answered. */
        FALLBACK,
        /** The model failed and nothing answered: the caller got an error. */
        FAILED
    }
}
