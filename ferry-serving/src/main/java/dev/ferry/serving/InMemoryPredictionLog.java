package dev.ferry.serving;

import java.util.ArrayList;
import java.util.List;

/** A {@link PredictionLogSink} that keeps every record in memory: for tests and small demos. */
public final class InMemoryPredictionLog implements PredictionLogSink {

    private final List<PredictionRecord> records = new ArrayList<>();

    @Override
    public synchronized void write(List<PredictionRecord> batch) {
        records.addAll(batch);
    }

    /** A copy of the records written so far. */
    public synchronized List<PredictionRecord> records() {
        return List.copyOf(records);
    }
}
