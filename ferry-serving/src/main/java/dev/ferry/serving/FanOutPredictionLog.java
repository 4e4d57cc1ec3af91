package dev.ferry.serving;

import java.util.List;
import java.util.function.Consumer;

/** {@link PredictionLogSink#all}: every sink gets every call, failures rethrown after all were tried. */
final class FanOutPredictionLog implements PredictionLogSink {

    private final List<PredictionLogSink> sinks;

    FanOutPredictionLog(List<PredictionLogSink> sinks) {
        this.sinks = sinks;
    }

    @Override
    public void write(List<PredictionRecord> records) {
        each(s -> s.write(records));
    }

    @Override
    public void flush() {
        each(PredictionLogSink::flush);
    }

    @Override
    public void close() {
        each(PredictionLogSink::close);
    }

    private void each(Consumer<PredictionLogSink> call) {
        RuntimeException first = null;
        for (PredictionLogSink s : sinks) {
            try {
                call.accept(s);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
