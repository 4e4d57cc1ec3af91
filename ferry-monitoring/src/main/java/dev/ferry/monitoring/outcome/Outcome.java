package dev.ferry.monitoring.outcome;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One observed outcome (label), validated: joined to its prediction by {@code requestId} when
 * present, otherwise by {@code entity} and {@code at}. A binary label is 0 or 1.
 */
public record Outcome(Optional<String> requestId, Map<String, Object> entity, Optional<Instant> at, double label) {

    public Outcome {
        entity = LoggedPrediction.frozen(entity);
    }
}
