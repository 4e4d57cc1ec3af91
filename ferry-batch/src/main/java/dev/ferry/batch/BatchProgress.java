package dev.ferry.batch;

/**
 * Told after each chunk is written: rows handled so far (scored or skipped) and the total when
 * known ({@code -1} when the source cannot count cheaply). The CLI draws it as a progress bar; a
 * server can export it as a metric. Called from one thread at a time.
 */
@FunctionalInterface
public interface BatchProgress {

    void progress(long done, long total);

    /** Ignores progress. */
    static BatchProgress none() {
        return (done, total) -> {
        };
    }
}
