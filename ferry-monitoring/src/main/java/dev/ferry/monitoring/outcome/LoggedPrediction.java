package dev.ferry.monitoring.outcome;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One prediction as read back from the prediction log (JSON Lines or Parquet): the fields of
 * {@code dev.ferry.serving.PredictionRecord} with features and output as plain JSON values, since
 * a reader of the log no longer knows the feature types. Maps keep null values.
 */
public record LoggedPrediction(String requestId, Instant at, String deployment, String arm, String model, int version,
                               boolean shadow, Map<String, Object> entity, Map<String, Object> features,
                               Map<String, Object> output) {

    public LoggedPrediction {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(at, "at");
        entity = frozen(entity);
        features = frozen(features);
        output = frozen(output);
    }

    /** The entity keys in one canonical text form, the same for a key read from a CSV, a table or JSON. */
    public String entityKey() {
        return EntityKeys.canonical(entity);
    }

    static Map<String, Object> frozen(Map<String, Object> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
