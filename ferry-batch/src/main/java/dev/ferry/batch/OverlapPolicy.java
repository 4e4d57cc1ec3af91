package dev.ferry.batch;

/** What a schedule does when a fire time comes while its previous run is still going. */
public enum OverlapPolicy {
    /** Record the new run as skipped. */
    SKIP,
    /** Start it when the running one ends (at most one waits; further ones are skipped). */
    QUEUE
}
