package dev.ferry.features;

import dev.ferry.types.Row;
import java.time.Instant;

/**
 * The latest row of one entity in a view over a time range, as materialization reads it:
 * the join key values, the feature values (typed as the view schema) and the row's event time.
 */
public record FeatureRecord(Row key, Row features, Instant eventTime) {
}
