package dev.ferry.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A kind of step ({@code training-set}, {@code train-xgboost}, {@code command}, ...). Types are
 * found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.ferry.pipeline.StepType}), so a module adds a step type with one
 * class and no change here. A type's {@link #version()} is part of every cache key: raise it when
 * the type's behaviour changes so cached outputs of the old code are not reused.
 */
public interface StepType {

    /** The name pipelines use in {@code type:}. */
    String name();

    /** The version of this type's code. */
    int version();

    /** Parameters that must be given; a pipeline missing one is refused before anything runs. */
    default Set<String> requiredParams() {
        return Set.of();
    }

    /**
     * Files this step reads besides the step's declared {@code inputs} (e.g. the sources of a
     * feature repository); their content is part of the cache key.
     */
    default List<Path> inputFiles(StepContext context) {
        return List.of();
    }

    /**
     * Runs the step. Files it writes to {@link StepContext#outputDir()} become its outputs
     * (stored by content hash); it returns its metrics and values. A thrown exception fails this
     * try; the step's retry policy decides whether another follows.
     */
    StepResult run(StepContext context) throws Exception;
}
