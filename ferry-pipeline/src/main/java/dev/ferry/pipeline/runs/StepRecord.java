package dev.ferry.pipeline.runs;

import java.time.Instant;
import java.util.Map;

/**
 * What one step of a run did: its type and code version, the parameters and seed it ran with,
 * the fingerprints of everything it read, what it produced, how often it was tried, how long it
 * took, where its log is, and why it failed if it did.
 *
 * @param id          the step id ({@code train[country=US]} for a fanned-out step)
 * @param type        the step type
 * @param typeVersion the step type's code version
 * @param bindings    its {@code foreach} values
 * @param status      what happened
 * @param attempts    how many tries ran (0 when cached or skipped)
 * @param cacheKey    SHA-256 of type, version, parameters, seed and input fingerprints
 * @param seed        the seed the step was given
 * @param params      the parameters after substitution
 * @param inputs      every input (file path, or {@code step:NAME/FILE} for an upstream output) to its SHA-256
 * @param outputs     output file name to SHA-256
 * @param metrics     metrics it reported
 * @param values      values it reported (model version, data time ranges, ...)
 * @param startedAt   when it started, null when skipped
 * @param millis      wall time in milliseconds
 * @param log         its log file, null when it did not run
 * @param error       why it failed, null otherwise
 */
public record StepRecord(String id, String type, int typeVersion, Map<String, String> bindings, StepStatus status,
                         int attempts, String cacheKey, long seed, Map<String, String> params, Map<String, String> inputs,
                         Map<String, String> outputs, Map<String, Double> metrics, Map<String, String> values,
                         Instant startedAt, long millis, String log, String error) {

    public StepRecord {
        bindings = copy(bindings);
        params = copy(params);
        inputs = copy(inputs);
        outputs = copy(outputs);
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metrics));
        values = copy(values);
    }

    private static Map<String, String> copy(Map<String, String> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(m));
    }

    /** Whether its outputs exist (it ran or was served from the cache). */
    public boolean succeeded() {
        return status == StepStatus.SUCCEEDED || status == StepStatus.CACHED;
    }

    /** A skipped step: never started because an earlier one failed. */
    public static StepRecord skipped(String id, String type, int typeVersion, Map<String, String> bindings, long seed) {
        return new StepRecord(id, type, typeVersion, bindings, StepStatus.SKIPPED, 0, null, seed, Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), null, 0, null, null);
    }
}
