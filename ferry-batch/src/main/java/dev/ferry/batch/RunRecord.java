package dev.ferry.batch;

import java.time.Instant;
import java.util.Optional;

/**
 * One scheduled run as stored in the run history: written when it starts ({@link RunStatus#RUNNING})
 * and rewritten when it ends, so a run tracker reading the files sees every run, including one
 * whose process died (it stays RUNNING).
 *
 * @param format       the record format version ({@link RunHistory#FORMAT})
 * @param schedule     the schedule's name
 * @param runId        unique per run
 * @param scheduledFor the fire time the run is for
 * @param start        when it started (the decision time for a skipped run)
 * @param end          when it ended; empty while running
 * @param status       its state
 * @param rowsScored   rows written
 * @param rowsSkipped  bad rows skipped
 * @param target       where results went
 * @param error        why it failed or was skipped
 */
public record RunRecord(int format, String schedule, String runId, Instant scheduledFor, Instant start, Optional<Instant> end,
                        RunStatus status, long rowsScored, long rowsSkipped, Optional<String> target, Optional<String> error) {
}
