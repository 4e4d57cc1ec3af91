package dev.ferry.monitoring.outcome;

import java.util.List;

/**
 * What one ingestion run did: records read, outcomes stored (one per matched prediction, so a
 * request with a shadow stores two), outcomes that matched no prediction, and the rejected
 * records (the first {@code rejectedShown} kept in full, all counted).
 */
public record IngestReport(long read, long joined, long unmatched, long rejectedCount, List<Rejection> rejected) {

    public IngestReport {
        rejected = List.copyOf(rejected);
    }
}
