package dev.ferry.pipeline;

import dev.ferry.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a pipeline from YAML. Every problem (unknown field, wrong type, unknown step type,
 * missing dependency, cycle) is reported at once, each naming the file, the step and the field.
 *
 * <pre>
 * pipeline: credit-risk
 * version: 1
 * seed: 42
 * params: {rounds: 50}
 * steps:
 *   - id: train
 *     type: train-xgboost
 *     depends_on: [training-set]
 *     foreach: {max_depth: [3, 5]}
 *     retry: {attempts: 3, backoff: 2s, multiplier: 2}
 *     params: {label: loan_status, rounds: "${params.rounds}", max_depth: "${foreach.max_depth}"}
 * </pre>
 */
public final class PipelineYaml {

    private static final Set<String> TOP = Set.of("pipeline", "version", "seed", "params", "steps", "description");
    private static final Set<String> STEP = Set.of("id", "type", "depends_on", "params", "inputs", "foreach", "retry", "description");
    private static final Set<String> RETRY = Set.of("attempts", "backoff", "multiplier");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private PipelineYaml() {
    }

    /** Reads and validates {@code file}; step types are checked against {@code types}. */
    public static Pipeline load(Path file, StepTypes types) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("pipeline file " + file + " could not be read: " + e.getMessage(), e);
        }
        Path abs = file.toAbsolutePath().normalize();
        return parse(text, abs.toString(), abs.getParent(), types);
    }

    /** Reads a pipeline from {@code text}; {@code origin} names it in messages, {@code baseDir} anchors relative paths. */
    public static Pipeline parse(String text, String origin, Path baseDir, StepTypes types) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new InvalidInputException(origin + ": not valid YAML: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        if (!(root instanceof Map<?, ?> top)) {
            throw new InvalidInputException(origin + ": expected a mapping with pipeline, seed and steps but found "
                    + (root == null ? "an empty file" : root.getClass().getSimpleName()));
        }
        unknown(top, TOP, origin + ":", problems);
        String name = scalar(top.get("pipeline"));
        if (name == null || name.isBlank()) {
            problems.add(origin + ": field 'pipeline': missing; expected the pipeline's name");
            name = "?";
        }
        Long seed = null;
        if (top.get("seed") instanceof Number n && (n instanceof Integer || n instanceof Long)) {
            seed = n.longValue();
        } else {
            problems.add(origin + ": field 'seed': " + (top.get("seed") == null ? "missing" : "was '" + top.get("seed") + "'")
                    + "; expected an integer seed, so every run draws from a known one");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (top.get("params") instanceof Map<?, ?> pm) {
            pm.forEach((k, v) -> params.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (top.get("params") != null) {
            problems.add(origin + ": field 'params': expected a mapping of names to values but found " + top.get("params"));
        }
        List<StepSpec> steps = new ArrayList<>();
        if (top.get("steps") instanceof List<?> list) {
            int i = 0;
            for (Object o : list) {
                StepSpec s = step(o, i++, origin, problems);
                if (s != null) {
                    steps.add(s);
                }
            }
        } else {
            problems.add(origin + ": field 'steps': expected a list of steps but found " + top.get("steps"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("pipeline " + origin + " is invalid (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", problems));
        }
        Pipeline p = new Pipeline(name, scalar(top.get("version")), seed, params, steps, origin, baseDir, text);
        PipelineValidator.requireValid(p, types);
        return p;
    }

    private static StepSpec step(Object o, int index, String origin, List<String> problems) {
        if (!(o instanceof Map<?, ?> m)) {
            problems.add(origin + ": steps[" + index + "]: expected a mapping with id and type but found " + o);
            return null;
        }
        String id = scalar(m.get("id"));
        String at = origin + ": step '" + (id == null ? "#" + (index + 1) : id) + "'";
        unknown(m, STEP, at, problems);
        String type = scalar(m.get("type"));
        if (id == null) {
            problems.add(at + " field 'id': missing");
        }
        if (type == null) {
            problems.add(at + " field 'type': missing; expected a step type name");
        }
        List<String> deps = strings(m.get("depends_on"), at + " field 'depends_on'", problems);
        List<String> inputs = strings(m.get("inputs"), at + " field 'inputs'", problems);
        Map<String, Object> params = new LinkedHashMap<>();
        if (m.get("params") instanceof Map<?, ?> pm) {
            pm.forEach((k, v) -> params.put(String.valueOf(k), v));
        } else if (m.get("params") != null) {
            problems.add(at + " field 'params': expected a mapping but found " + m.get("params"));
        }
        Map<String, List<String>> foreach = new LinkedHashMap<>();
        if (m.get("foreach") instanceof Map<?, ?> fm) {
            fm.forEach((k, v) -> foreach.put(String.valueOf(k), strings(v, at + " field 'foreach." + k + "'", problems)));
        } else if (m.get("foreach") != null) {
            problems.add(at + " field 'foreach': expected a mapping of keys to lists of values but found " + m.get("foreach"));
        }
        RetryPolicy retry = retry(m.get("retry"), at, problems);
        if (id == null || type == null) {
            return null;
        }
        return new StepSpec(id, type, deps, params, inputs, foreach, retry);
    }

    private static RetryPolicy retry(Object o, String at, List<String> problems) {
        if (o == null) {
            return RetryPolicy.NONE;
        }
        if (!(o instanceof Map<?, ?> m)) {
            problems.add(at + " field 'retry': expected a mapping with attempts, backoff, multiplier but found " + o);
            return RetryPolicy.NONE;
        }
        unknown(m, RETRY, at + " field 'retry'", problems);
        int attempts = 1;
        Object a = m.get("attempts");
        if (a instanceof Integer n && n >= 1) {
            attempts = n;
        } else if (a != null) {
            problems.add(at + " field 'retry.attempts': was '" + a + "'; expected an integer of 1 or more");
        }
        Duration backoff = Duration.ZERO;
        if (m.get("backoff") != null) {
            Matcher dm = DURATION.matcher(String.valueOf(m.get("backoff")));
            if (dm.matches()) {
                long v = Long.parseLong(dm.group(1));
                backoff = switch (dm.group(2)) {
                    case "ms" -> Duration.ofMillis(v);
                    case "s" -> Duration.ofSeconds(v);
                    case "m" -> Duration.ofMinutes(v);
                    default -> Duration.ofHours(v);
                };
            } else {
                problems.add(at + " field 'retry.backoff': was '" + m.get("backoff") + "'; expected a duration like 500ms, 2s, 1m");
            }
        }
        double multiplier = 1;
        if (m.get("multiplier") instanceof Number n && n.doubleValue() >= 1) {
            multiplier = n.doubleValue();
        } else if (m.get("multiplier") != null) {
            problems.add(at + " field 'retry.multiplier': was '" + m.get("multiplier") + "'; expected a number of 1 or more");
        }
        return new RetryPolicy(attempts, backoff, multiplier);
    }

    private static void unknown(Map<?, ?> m, Set<String> known, String at, List<String> problems) {
        for (Object k : m.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                problems.add(at + " field '" + k + "': unknown field; expected one of " + new java.util.TreeSet<>(known));
            }
        }
    }

    private static List<String> strings(Object o, String at, List<String> problems) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object v : l) {
                if (v instanceof Map || v instanceof List) {
                    problems.add(at + ": expected plain values but found " + v);
                } else {
                    out.add(String.valueOf(v));
                }
            }
            return out;
        }
        if (o instanceof Map) {
            problems.add(at + ": expected a list but found " + o);
            return List.of();
        }
        return List.of(String.valueOf(o));
    }

    private static String scalar(Object o) {
        return o == null || o instanceof Map || o instanceof List ? null : String.valueOf(o);
    }
}
