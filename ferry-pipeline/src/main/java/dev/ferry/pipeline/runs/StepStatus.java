package dev.ferry.pipeline.runs;

/** What happened to a step in a run. */
public enum StepStatus {
    /** It ran and succeeded. */
    SUCCEEDED,
    /** Its code, parameters and inputs were unchanged, so its recorded outputs were reused. */
    CACHED,
    /** Every try failed; the run stopped here. */
    FAILED,
    /** Never started, because a step failed first. */
    SKIPPED
}
