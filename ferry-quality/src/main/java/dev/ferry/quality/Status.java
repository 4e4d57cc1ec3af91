package dev.ferry.quality;

/** The outcome of one check in one run. A check of severity {@link Severity#WARN} that does not hold is {@code WARN}. */
public enum Status {
    PASS,
    WARN,
    FAIL
}
