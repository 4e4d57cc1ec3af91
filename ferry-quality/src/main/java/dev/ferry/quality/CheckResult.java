package dev.ferry.quality;

import java.util.Optional;

/**
 * The outcome of one check of one target in one run: what was observed and what was expected, in
 * words a person reads in a table. {@code allowedBecause} holds the reason of an explicit
 * override ({@link AllowedFailure}) when the check failed and was let through.
 */
public record CheckResult(String target, String check, Status status, String observed, String expected,
                          Optional<String> allowedBecause) {

    public CheckResult {
        allowedBecause = allowedBecause == null ? Optional.empty() : allowedBecause;
    }

    /** {@code target/check}, the form {@code --allow-failure} accepts. */
    public String id() {
        return target + "/" + check;
    }

    /** A failure that was explicitly allowed. */
    public boolean overridden() {
        return status == Status.FAIL && allowedBecause.isPresent();
    }

    /** A failure that stops the gate. */
    public boolean blocking() {
        return status == Status.FAIL && allowedBecause.isEmpty();
    }
}
