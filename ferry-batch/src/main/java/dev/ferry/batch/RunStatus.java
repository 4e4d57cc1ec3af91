package dev.ferry.batch;

/** The state of a scheduled run in its {@link RunRecord}. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Its fire time passed while no scheduler ran it, under {@link MissedRunPolicy#SKIP}. */
    SKIPPED_MISSED,
    /** The previous run was still going, under {@link OverlapPolicy#SKIP} (or a run was already queued). */
    SKIPPED_OVERLAP
}
