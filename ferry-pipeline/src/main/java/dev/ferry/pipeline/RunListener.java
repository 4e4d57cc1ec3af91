package dev.ferry.pipeline;

import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.StepRecord;
import java.util.List;

/** Hears a run's progress (the CLI prints it); called from worker threads, so implementations must be thread-safe. */
public interface RunListener {

    RunListener NONE = new RunListener() {
    };

    default void runStarted(String runId, List<String> steps) {
    }

    default void stepStarted(String step) {
    }

    default void stepRetrying(String step, int attempt, String error) {
    }

    default void stepFinished(StepRecord record) {
    }

    default void runFinished(RunRecord run) {
    }
}
