package dev.ferry.serving;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One prediction request: who it is about and what the caller knows at request time.
 *
 * @param requestId the caller's id, or empty to have the engine assign one
 * @param entity    entity keys, e.g. {@code {"user_id": "42"}}; they select stored features
 *                  and make arm assignment sticky
 * @param features  request-time feature values; they take precedence over stored ones
 */
public record PredictRequest(Optional<String> requestId, Map<String, Object> entity, Map<String, Object> features) {

    public PredictRequest {
        entity = Collections.unmodifiableMap(new LinkedHashMap<>(entity));
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    public static PredictRequest of(Map<String, Object> entity, Map<String, Object> features) {
        return new PredictRequest(Optional.empty(), entity, features);
    }
}
