package dev.ferry.pipeline;

import dev.ferry.InvalidInputException;
import dev.ferry.registry.CodeVersion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a running step sees: its id, parameters (typed accessors refuse a bad value naming the step
 * and field), seed, output directory, log, the outputs of the steps before it, and the
 * environment (registries, online store). Upstream lookups search the step's ancestors nearest
 * first, so {@code register} finds the model of the {@code train} step two steps back.
 */
public final class StepContext {

    private final PlannedStep step;
    private final Pipeline pipeline;
    private final String runId;
    private final Path outputDir;
    private final PrintWriter log;
    private final PipelineEnvironment environment;
    private final ObjectStore objects;
    private final CodeVersion code;
    private final Function<String, PlannedStep> planned;
    private final Function<String, StepResult> results;

    StepContext(PlannedStep step, Pipeline pipeline, String runId, Path outputDir, PrintWriter log, PipelineEnvironment environment,
                ObjectStore objects, CodeVersion code, Function<String, PlannedStep> planned, Function<String, StepResult> results) {
        this.step = step;
        this.pipeline = pipeline;
        this.runId = runId;
        this.outputDir = outputDir;
        this.log = log;
        this.environment = environment;
        this.objects = objects;
        this.code = code;
        this.planned = planned;
        this.results = results;
    }

    public String id() {
        return step.id();
    }

    public String runId() {
        return runId;
    }

    public long seed() {
        return step.seed();
    }

    public Map<String, String> bindings() {
        return step.bindings();
    }

    public Map<String, Object> params() {
        return step.params();
    }

    public String pipelineName() {
        return pipeline.name();
    }

    /** The code version of the pipeline's directory, as recorded for the run. */
    public CodeVersion code() {
        return code;
    }

    /** Where the step writes its output files; emptied before every try. */
    public Path outputDir() {
        return outputDir;
    }

    /** The step's log (a file per step and run). */
    public PrintWriter log() {
        return log;
    }

    public PipelineEnvironment environment() {
        return environment;
    }

    public ObjectStore objects() {
        return objects;
    }

    /** A required text parameter. */
    public String string(String name) {
        return optional(name).orElseThrow(() -> invalid(name, null, "a value; step type " + step.spec().type() + " requires it"));
    }

    public Optional<String> optional(String name) {
        Object v = step.params().get(name);
        if (v instanceof Map || v instanceof List) {
            throw invalid(name, v, "a single value");
        }
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    public int integer(String name, int defaultValue) {
        Optional<String> v = optional(name);
        try {
            return v.isEmpty() ? defaultValue : Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw invalid(name, v.get(), "an integer");
        }
    }

    public double decimal(String name, double defaultValue) {
        Optional<String> v = optional(name);
        try {
            return v.isEmpty() ? defaultValue : Double.parseDouble(v.get().trim());
        } catch (NumberFormatException e) {
            throw invalid(name, v.get(), "a number");
        }
    }

    /** A list parameter; a single value is a list of one, absent is empty. */
    public List<String> list(String name) {
        Object v = step.params().get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        if (v instanceof Map) {
            throw invalid(name, v, "a list of values");
        }
        return List.of(String.valueOf(v));
    }

    /** A path parameter, resolved against the pipeline file's directory. */
    public Path path(String name) {
        return resolve(string(name));
    }

    public Path resolve(String path) {
        return pipeline.baseDir().resolve(path).normalize();
    }

    /** The refusal for a bad parameter: names the step, the field, the value and what was expected. */
    public InvalidInputException invalid(String param, Object value, String expected) {
        return new InvalidInputException(pipeline.origin() + ": step '" + id() + "' field 'params." + param + "': "
                + (value == null ? "missing" : "was '" + value + "'") + "; expected " + expected);
    }

    /** The stored file of the nearest ancestor that produced one named {@code name}. */
    public Optional<Path> findUpstreamFile(String name) {
        return nearest(r -> Optional.ofNullable(r.files().get(name)), "file " + name).map(objects::path);
    }

    public Path upstreamFile(String name) {
        return findUpstreamFile(name).orElseThrow(() -> new InvalidInputException(pipeline.origin() + ": step '" + id()
                + "' needs a file " + name + " from a step it depends on, but none of " + ancestors() + " produced one"));
    }

    /** The files named {@code name} of the steps this one depends on directly, by step id (a fan-in over a foreach). */
    public Map<String, Path> upstreamFiles(String name) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String d : step.deps()) {
            String sha = results.apply(d).files().get(name);
            if (sha != null) {
                out.put(d, objects.path(sha));
            }
        }
        return out;
    }

    /** A value reported by the nearest ancestor that reported it. */
    public Optional<String> upstreamValue(String name) {
        return nearest(r -> Optional.ofNullable(r.values().get(name)), "value " + name);
    }

    /** Metrics of the ancestors; a nearer step's metric wins over a farther one's of the same name. */
    public Map<String, Double> upstreamMetrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> order = ancestors();
        for (int i = order.size() - 1; i >= 0; i--) {
            out.putAll(results.apply(order.get(i)).metrics());
        }
        return out;
    }

    /** Ancestor ids, nearest first (breadth first over dependencies). */
    List<String> ancestors() {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(step.deps());
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (seen.add(id)) {
                out.add(id);
                queue.addAll(planned.apply(id).deps());
            }
        }
        return out;
    }

    private <T> Optional<T> nearest(Function<StepResult, Optional<T>> get, String what) {
        List<String> level = new ArrayList<>(step.deps());
        Set<String> seen = new HashSet<>();
        while (!level.isEmpty()) {
            Map<String, T> found = new LinkedHashMap<>();
            List<String> next = new ArrayList<>();
            for (String id : level) {
                if (seen.add(id)) {
                    get.apply(results.apply(id)).ifPresent(v -> found.put(id, v));
                    next.addAll(planned.apply(id).deps());
                }
            }
            if (found.size() == 1 || (found.size() > 1 && new HashSet<>(found.values()).size() == 1)) {
                return Optional.of(found.values().iterator().next());
            }
            if (found.size() > 1) {
                throw new InvalidInputException(pipeline.origin() + ": step '" + id() + "' found a " + what + " in several steps "
                        + found.keySet() + "; depend on one of them (or fan this step out with the same foreach)");
            }
            level = next;
        }
        return Optional.empty();
    }
}
