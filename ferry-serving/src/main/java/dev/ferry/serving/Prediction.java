package dev.ferry.serving;

import dev.ferry.types.Row;

/**
 * The engine's answer to one {@link PredictRequest}.
 *
 * @param requestId  the request id (the caller's, or one the engine assigned)
 * @param deployment the deployment that answered
 * @param arm        the arm the request was routed to
 * @param model      the model that produced the output, or empty for a precomputed or static answer
 * @param version    its version, or 0
 * @param output     output name to value
 * @param source     what produced the output
 * @param degraded   true when features were missing or stale, or a fallback answered
 */
public record Prediction(String requestId, String deployment, String arm, String model, int version, Row output,
                         AnswerSource source, boolean degraded) {
}
