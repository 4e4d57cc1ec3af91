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

    /**
     * The earliest event time, in epoch microseconds, that is not older than {@code maxAge} at
     * {@code now}: a value is too old exactly when its event time is before this, the rule of
     * {@link #isTooOld} with one long comparison per event time. A value is too old when
     * {@code now - t > maxAge}, i.e. {@code t < now - maxAge}; event times are whole
     * microseconds, so the bound is {@code now - maxAge} rounded up to the microsecond. Gives
     * {@link Long#MIN_VALUE} when nothing can be too old, and saturates at {@link Long#MAX_VALUE}
     * (where callers must fall back to {@link #isTooOld}) when the bound is past the micros range.
     */
    static long freshFromMicros(Instant now, Duration maxAge) {
        if (maxAge.equals(OnlineStore.NO_MAX_AGE)) {
            return Long.MIN_VALUE;
        }
        long seconds = Long.MIN_VALUE; // stays so when now - maxAge is below the range of a long
        try {
            seconds = Math.subtractExact(now.getEpochSecond(), maxAge.getSeconds());
            int nanos = now.getNano() - maxAge.getNano();
            if (nanos < 0) {
                nanos += 1_000_000_000;
                seconds = Math.subtractExact(seconds, 1);
            }
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), (nanos + 999) / 1000);
        } catch (ArithmeticException e) {
            // the bound is beyond the micros range: below it nothing is too old, above it everything is
            return seconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** True when a value (possibly null) is stored and fresh: PRESENT or NULL_VALUE. */
    public boolean isFresh() {
        return status == FeatureStatus.PRESENT || status == FeatureStatus.NULL_VALUE;
    }
}
