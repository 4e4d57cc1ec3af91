package dev.ferry.serving;

import dev.ferry.types.Row;
import java.time.Instant;
import java.util.Map;

/**
 * One logged prediction: what was served (or computed in shadow), to whom, by which model, on
 * exactly which feature values. The prediction log is the join key for monitoring and for
 * training on served data.
 *
 * @param requestId  the request's id (the same for a prediction and its shadow)
 * @param at         when the answer was produced, by the engine's clock
 * @param deployment deployment name
 * @param arm        the arm that answered ("shadow" for shadow predictions)
 * @param model      model name, or empty when no model answered
 * @param version    model version, or 0 when no model answered
 * @param shadow     true for a mirrored prediction that was not returned to the caller
 * @param source     what produced the output
 * @param degraded   true when features were missing or a fallback answered
 * @param entity     the entity keys
 * @param features   the feature values exactly as given to the model
 * @param output     the output
 */
public record PredictionRecord(String requestId, Instant at, String deployment, String arm, String model, int version,
                               boolean shadow, AnswerSource source, boolean degraded, Map<String, Object> entity,
                               Row features, Row output) {

    /** Version of the logged record layout; readers refuse records of another version. */
    public static final int FORMAT_VERSION = 1;
}
