package dev.ferry.registry;

import java.time.Instant;

/**
 * The data a model was trained on: where it came from, a content fingerprint, and the event-time
 * range it covers. A training-set manifest from the feature store fills this in.
 *
 * @param source      a URI or description of the data ({@code file:/data/train.parquet},
 *                    {@code training-set:credit@3})
 * @param fingerprint content hash, e.g. {@code sha256:...}
 * @param from        earliest event time covered, or null when unknown
 * @param to          latest event time covered, or null when unknown
 * @param rows        number of rows, or -1 when unknown
 */
public record TrainingData(String source, String fingerprint, Instant from, Instant to, long rows) {
}
