package dev.ferry.features.materialize;

import java.time.Instant;

/**
 * How far incremental materialization of one online view has got: every offline row with an
 * event time before {@link #watermark()} has been written to {@link #view()}. Recorded only after
 * the online write succeeded, so a crash leaves the old watermark and the next run redoes the work.
 */
public record Watermark(String view, Instant watermark, Instant updatedAt, long rows) {
}
