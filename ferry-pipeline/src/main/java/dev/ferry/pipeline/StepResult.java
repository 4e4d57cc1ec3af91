package dev.ferry.pipeline;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a step produced: its output files (name to SHA-256 of the content, stored in the
 * pipeline's content-addressed object store), metrics and values (e.g. a registered model's
 * version, a training set's time range). A step's {@link StepType#run} returns metrics and values;
 * the runner adds the files.
 */
public record StepResult(Map<String, String> files, Map<String, Double> metrics, Map<String, String> values) {

    public StepResult {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        metrics = java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static final StepResult EMPTY = new StepResult(Map.of(), Map.of(), Map.of());

    public static StepResult of(Map<String, Double> metrics, Map<String, String> values) {
        return new StepResult(Map.of(), metrics, values);
    }

    StepResult withFiles(Map<String, String> newFiles) {
        return new StepResult(newFiles, metrics, values);
    }
}
