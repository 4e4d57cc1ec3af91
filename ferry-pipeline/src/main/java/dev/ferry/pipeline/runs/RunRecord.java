package dev.ferry.pipeline.runs;

import dev.ferry.registry.CodeVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to understand and repeat a pipeline run: the pipeline's definition and
 * version, its parameters and seed, the code version (git commit and dirty flag), the JDK and
 * library versions, every step's record (inputs with fingerprints, outputs, metrics, timings,
 * log), the outcome and a message. Written in format {@link #FORMAT}; a store refuses others.
 *
 * @param format          {@link #FORMAT}
 * @param id              run id
 * @param pipeline        pipeline name
 * @param pipelineVersion the pipeline's version
 * @param origin          the pipeline file (or {@code builder})
 * @param definition      the pipeline's text as run
 * @param baseDir         the directory its relative paths were resolved against
 * @param params          effective parameters (defaults and overrides)
 * @param seed            the pipeline seed
 * @param forced          whether the cache was ignored
 * @param reproduces      the run this one repeated, or null
 * @param message         free text
 * @param status          outcome
 * @param failedStep      the step that could not succeed, or null
 * @param failure         why, or null
 * @param startedAt       start
 * @param finishedAt      end, null while running
 * @param code            the code version of the pipeline's directory
 * @param environment     JDK, OS, Ferry and library versions
 * @param steps           step records in the order the steps were planned
 */
public record RunRecord(int format, String id, String pipeline, String pipelineVersion, String origin, String definition,
                        String baseDir, Map<String, String> params, long seed, boolean forced, String reproduces, String message,
                        RunStatus status, String failedStep, String failure, Instant startedAt, Instant finishedAt,
                        CodeVersion code, Map<String, String> environment, List<StepRecord> steps) {

    /** The record format this version of Ferry writes and reads. */
    public static final int FORMAT = 1;

    public RunRecord {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(params));
        environment = environment == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(environment));
        steps = steps == null ? List.of() : List.copyOf(steps);
        code = code == null ? CodeVersion.UNKNOWN : code;
    }

    public Optional<StepRecord> step(String stepId) {
        return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
    }

    /** Metrics of every step, keyed {@code step/metric}. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new java.util.TreeMap<>();
        for (StepRecord s : steps) {
            s.metrics().forEach((k, v) -> m.put(s.id() + "/" + k, v));
        }
        return m;
    }

    /** Output fingerprints of every step, keyed {@code step/file}. */
    public Map<String, String> outputs() {
        Map<String, String> m = new java.util.TreeMap<>();
        for (StepRecord s : steps) {
            s.outputs().forEach((k, v) -> m.put(s.id() + "/" + k, v));
        }
        return m;
    }

    /** Input fingerprints of every step, keyed {@code step/input}. */
    public Map<String, String> inputs() {
        Map<String, String> m = new java.util.TreeMap<>();
        for (StepRecord s : steps) {
            s.inputs().forEach((k, v) -> m.put(s.id() + "/" + k, v));
        }
        return m;
    }
}
