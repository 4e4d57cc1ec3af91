package dev.ferry.features.materialize;

/**
 * Told how far a materialization run has got, after each batch written to the online store. The
 * CLI draws it as a progress bar; a scheduler may log it. Called on the materializing thread, so
 * it should return quickly.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * {@code done} rows of {@code total} are in the online store. {@code total} is the number of
     * entities with a row in the range, counted before the copy starts; {@code done} never exceeds it.
     */
    void progress(long done, long total);
}
