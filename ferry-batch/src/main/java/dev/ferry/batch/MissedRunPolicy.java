package dev.ferry.batch;

/**
 * What a schedule does about fire times that passed while no scheduler was running (or while it
 * was too busy to start them within the grace period).
 */
public enum MissedRunPolicy {
    /** Record the missed runs as skipped and wait for the next fire time. */
    SKIP,
    /** Run once now for all of them (the latest missed fire time), then keep the schedule. */
    RUN_ONCE
}
