package dev.ferry.pipeline.runs;

/** The outcome of a run. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED
}
