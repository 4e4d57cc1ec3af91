package dev.ferry.quality;

/**
 * What a check that does not hold does to the run: {@code FAIL} stops the gate (a pipeline stops
 * before training, {@code ferry check} exits non-zero), {@code WARN} is reported and recorded only.
 */
public enum Severity {
    FAIL,
    WARN
}
