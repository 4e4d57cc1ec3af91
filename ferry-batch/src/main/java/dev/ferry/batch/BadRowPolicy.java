package dev.ferry.batch;

/** What a batch run does with a row the model cannot take (a wrong type, an unknown category, a missing required value). */
public enum BadRowPolicy {
    /** Stop the run at the first bad row; nothing is published. */
    FAIL,
    /** Leave the row out of the output, count it, and keep the first few reports. */
    SKIP
}
