package dev.ferry.pipeline;

import dev.ferry.InvalidInputException;
import java.time.Duration;

/**
 * How often a failing step is tried and how long the runner waits between tries: the wait before
 * try {@code n+1} is {@code backoff * multiplier^(n-1)}. A step without a policy is tried once.
 *
 * @param attempts   how many tries in all (1 = no retry)
 * @param backoff    wait before the second try
 * @param multiplier growth of the wait per further try (1 = constant)
 */
public record RetryPolicy(int attempts, Duration backoff, double multiplier) {

    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1);

    public RetryPolicy {
        if (attempts < 1) {
            throw new InvalidInputException("retry attempts was " + attempts + " but it must be 1 or more");
        }
        if (backoff == null || backoff.isNegative()) {
            throw new InvalidInputException("retry backoff was " + backoff + " but it must be zero or more");
        }
        if (!(multiplier >= 1)) {
            throw new InvalidInputException("retry multiplier was " + multiplier + " but it must be 1 or more");
        }
    }

    /** The wait before try {@code attempt} (2 for the first retry). */
    public Duration delayBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) (backoff.toNanos() * Math.pow(multiplier, attempt - 2)));
    }
}
