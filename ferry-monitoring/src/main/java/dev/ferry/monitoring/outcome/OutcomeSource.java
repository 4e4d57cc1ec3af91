package dev.ferry.monitoring.outcome;

import java.util.List;

/**
 * Where outcome records come from: a CSV or Parquet file ({@link FileOutcomeSource}), a
 * PostgreSQL table ({@link PostgresOutcomeSource}) or a Kafka topic ({@link KafkaOutcomeSource}).
 * The ingestor reads batches until an empty one, storing each before {@link #commit()}, so a
 * source that tracks progress (Kafka offsets) never advances past an outcome that is not stored.
 */
public interface OutcomeSource extends AutoCloseable {

    /** The next raw records, at most {@code max}; empty when the source has nothing more now. */
    List<SourceRow> next(int max);

    /** Marks everything returned so far as stored. */
    default void commit() {
    }

    /** What this source reads, for messages. */
    String describe();

    @Override
    default void close() {
    }
}
