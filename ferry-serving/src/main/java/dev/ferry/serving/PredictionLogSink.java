package dev.ferry.serving;

import java.util.List;

/**
 * Where logged predictions go. The engine calls it from one background thread with batches
 * drained from a bounded queue, so an implementation may block on I/O without slowing requests;
 * when the queue is full records are dropped and counted. {@link RollingFilePredictionLog}
 * writes JSON Lines files; {@link InMemoryPredictionLog} keeps records for tests.
 */
public interface PredictionLogSink extends AutoCloseable {

    void write(List<PredictionRecord> records);

    /** Makes everything written so far durable. */
    default void flush() {
    }

    @Override
    default void close() {
    }

    /** A sink that discards everything. */
    static PredictionLogSink discard() {
        return records -> { };
    }
}
