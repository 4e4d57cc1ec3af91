package dev.ferry.monitoring.skew;

import java.time.Instant;
import java.util.Map;

/** The part of a logged prediction that skew checks need: who, when, and the feature values served. */
public record LoggedPrediction(String requestId, Instant at, Map<String, Object> entity, Map<String, Object> features) {
}
