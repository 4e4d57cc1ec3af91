package dev.ferry.batch;

import java.time.Duration;
import java.util.List;

/**
 * What a batch run did.
 *
 * @param source      the source scored
 * @param target      where the results went (file, online view version), for messages and run records
 * @param rowsScored  rows written to the output
 * @param rowsSkipped bad rows left out under {@link BadRowPolicy#SKIP}
 * @param badRows     the first bad rows (at most {@link BatchScorer#REPORTED_BAD_ROWS})
 * @param elapsed     wall time of the run
 */
public record BatchResult(String source, String target, long rowsScored, long rowsSkipped, List<BadRow> badRows, Duration elapsed) {

    public BatchResult {
        badRows = List.copyOf(badRows);
    }

    public double rowsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s == 0 ? 0 : (rowsScored + rowsSkipped) / s;
    }
}
