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

    /**
     * One sink handing every batch to each of {@code sinks} in order. A sink that throws does not
     * keep the batch from the others; the first failure is rethrown after all were tried (so the
     * engine counts the batch as dropped). Flush and close reach every sink the same way.
     */
    static PredictionLogSink all(List<PredictionLogSink> sinks) {
        List<PredictionLogSink> copy = List.copyOf(sinks);
        if (copy.size() == 1) {
            return copy.getFirst();
        }
        return new FanOutPredictionLog(copy);
    }

    /** A sink that discards everything. */
    static PredictionLogSink discard() {
        return records -> { };
    }
}
