package dev.ferry.online;

import java.time.Instant;

/**
 * One feature value as a store keeps it: the canonical Ferry value (or null) and its event time.
 * Produced by {@link ValueCodec#decode(byte[])}; turned into a read answer by
 * {@link FeatureValue#of(StoredValue, Instant, java.time.Duration)}.
 */
public record StoredValue(Object value, Instant eventTime) {

    public StoredValue {
        if (eventTime == null) {
            throw new IllegalArgumentException("eventTime is required");
        }
    }
}
