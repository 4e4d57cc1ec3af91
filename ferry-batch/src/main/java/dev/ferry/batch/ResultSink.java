package dev.ferry.batch;

import dev.ferry.types.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Where scored rows go. {@link #write} is called from one thread, chunk by chunk, in source order;
 * nothing written becomes visible to readers until {@link #commit}, and {@link #close} without a
 * commit throws the partial output away. {@link ParquetSink} and {@link OnlineViewSink} ship.
 */
public interface ResultSink extends AutoCloseable {

    /** Appends scored rows (the key columns, then the model's outputs). */
    void write(List<Row> rows);

    /** Makes everything written visible at once. */
    void commit();

    /** Where the output goes, for messages and run records. */
    String describe();

    /** Frees resources; discards the output if {@link #commit} was not called. */
    @Override
    void close();

    /** Writes to every sink in turn and commits them in order. */
    static ResultSink all(List<ResultSink> sinks) {
        List<ResultSink> copy = List.copyOf(sinks);
        if (copy.size() == 1) {
            return copy.get(0);
        }
        return new ResultSink() {
            @Override
            public void write(List<Row> rows) {
                copy.forEach(s -> s.write(rows));
            }

            @Override
            public void commit() {
                copy.forEach(ResultSink::commit);
            }

            @Override
            public String describe() {
                return String.join(" and ", copy.stream().map(ResultSink::describe).toList());
            }

            @Override
            public void close() {
                List<RuntimeException> failures = new ArrayList<>();
                for (ResultSink s : copy) {
                    try {
                        s.close();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
                if (!failures.isEmpty()) {
                    RuntimeException first = failures.get(0);
                    failures.subList(1, failures.size()).forEach(first::addSuppressed);
                    throw first;
                }
            }
        };
    }
}
