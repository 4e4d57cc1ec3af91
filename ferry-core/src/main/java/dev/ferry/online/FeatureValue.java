package dev.ferry.online;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The answer for one feature of one entity: the value (only when {@link FeatureStatus#PRESENT}),
 * the status, and the event time of what is stored (empty when {@link FeatureStatus#NOT_FOUND}).
 */
public record FeatureValue(Object value, FeatureStatus status, Optional<Instant> eventTime) {

    private static final FeatureValue NOT_FOUND = new FeatureValue(null, FeatureStatus.NOT_FOUND, Optional.empty());

    public FeatureValue {
        if (status == null || eventTime == null) {
            throw new IllegalArgumentException("status and eventTime are required");
        }
        if (value != null && status != FeatureStatus.PRESENT) {
            throw new IllegalArgumentException("a value is only carried when the status is PRESENT, not " + status);
        }
    }

    /** Nothing stored for this entity and feature. */
    public static FeatureValue notFound() {
        return NOT_FOUND;
    }

    /**
     * The answer for a stored value read at {@code now} under {@code maxAge}: an age equal to the
     * max age is still fresh; an event time in the future counts as fresh.
     */
    public static FeatureValue of(StoredValue stored, Instant now, Duration maxAge) {
        if (stored == null) {
            return NOT_FOUND;
        }
        Instant t = stored.eventTime();
        if (isTooOld(t, now, maxAge)) {
            return new FeatureValue(null, FeatureStatus.OUTSIDE_MAX_AGE, Optional.of(t));
        }
        return stored.value() == null
                ? new FeatureValue(null, FeatureStatus.NULL_VALUE, Optional.of(t))
                : new FeatureValue(stored.value(), FeatureStatus.PRESENT, Optional.of(t));
    }

    static boolean isTooOld(Instant eventTime, Instant now, Duration maxAge) {
        if (maxAge.equals(OnlineStore.NO_MAX_AGE) || !eventTime.isBefore(now)) {
            return false;
        }
        return Duration.between(eventTime, now).compareTo(maxAge) > 0;
    }

    /** True when a value (possibly null) is stored and fresh: PRESENT or NULL_VALUE. */
    public boolean isFresh() {
        return status == FeatureStatus.PRESENT || status == FeatureStatus.NULL_VALUE;
    }
}
