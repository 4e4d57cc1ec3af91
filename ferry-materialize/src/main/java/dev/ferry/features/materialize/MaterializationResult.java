package dev.ferry.features.materialize;

import java.time.Duration;
import java.time.Instant;

/**
 * What one materialization run did: the online view it wrote ({@code name@version}), the event
 * time range {@code [from, to)} it read, how many entity rows it wrote and how long it took.
 */
public record MaterializationResult(String view, Instant from, Instant to, long rows, Duration elapsed) {

    /** Rows written per second of wall time (0 for an empty run). */
    public double rowsPerSecond() {
        long nanos = elapsed.toNanos();
        return rows == 0 || nanos == 0 ? 0.0 : rows * 1e9 / nanos;
    }
}
