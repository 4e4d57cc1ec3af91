package dev.ferry.pipeline;

import dev.ferry.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a pipeline before anything runs and reports every problem at once, each naming the
 * file, the step and the field: duplicate or malformed ids, unknown step types, missing required
 * parameters, dependencies on steps that do not exist, cycles, empty {@code foreach} lists and
 * references to parameters that are not defined.
 */
public final class PipelineValidator {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    static final Pattern REF = Pattern.compile("\\$\\{(params|foreach)\\.([A-Za-z0-9_.-]+)}");

    private PipelineValidator() {
    }

    /** The problems of {@code pipeline}; step types are checked only when {@code types} is not null. */
    public static List<String> problems(Pipeline pipeline, StepTypes types) {
        List<String> out = new ArrayList<>();
        String where = pipeline.origin();
        if (pipeline.steps().isEmpty()) {
            out.add(where + ": field 'steps': the pipeline has no steps but it needs at least one");
        }
        Map<String, StepSpec> byId = new LinkedHashMap<>();
        for (StepSpec s : pipeline.steps()) {
            String at = where + ": step '" + s.id() + "'";
            if (!ID.matcher(s.id()).matches()) {
                out.add(at + " field 'id': '" + s.id() + "' must be letters, digits, '_', '.', '-'");
            }
            if (byId.put(s.id(), s) != null) {
                out.add(at + " field 'id': the id is used by another step too; ids must be unique");
            }
            if (types != null) {
                types.find(s.type()).ifPresentOrElse(t -> {
                    for (String p : t.requiredParams()) {
                        if (!s.params().containsKey(p)) {
                            out.add(at + " field 'params." + p + "': missing; step type " + t.name() + " requires it");
                        }
                    }
                }, () -> out.add(at + " field 'type': unknown step type '" + s.type() + "'; known: " + types.names()));
            }
            s.foreach().forEach((k, v) -> {
                if (v.isEmpty()) {
                    out.add(at + " field 'foreach." + k + "': the list of values is empty");
                }
            });
            for (Object v : s.params().values()) {
                Matcher m = REF.matcher(String.valueOf(v));
                while (m.find()) {
                    boolean known = m.group(1).equals("params") ? pipeline.params().containsKey(m.group(2))
                            : s.foreach().containsKey(m.group(2));
                    if (!known) {
                        out.add(at + " field 'params': ${" + m.group(1) + "." + m.group(2) + "} names a "
                                + (m.group(1).equals("params") ? "pipeline parameter" : "foreach key of this step") + " that is not defined");
                    }
                }
            }
        }
        for (StepSpec s : pipeline.steps()) {
            for (String d : s.dependsOn()) {
                if (!byId.containsKey(d)) {
                    out.add(where + ": step '" + s.id() + "' field 'depends_on': step '" + d + "' does not exist; steps are " + byId.keySet());
                } else if (d.equals(s.id())) {
                    out.add(where + ": step '" + s.id() + "' field 'depends_on': a step cannot depend on itself");
                }
            }
        }
        cycle(byId).ifPresent(c -> out.add(where + ": step '" + c.get(0) + "' field 'depends_on': the dependencies form a cycle: "
                + String.join(" -> ", c)));
        return out;
    }

    /** Throws {@link InvalidInputException} listing every problem, if there is any. */
    public static void requireValid(Pipeline pipeline, StepTypes types) {
        List<String> problems = problems(pipeline, types);
        if (!problems.isEmpty()) {
            throw new InvalidInputException("pipeline " + pipeline.name() + " is invalid (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", problems));
        }
    }

    private static java.util.Optional<List<String>> cycle(Map<String, StepSpec> byId) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : byId.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(start, byId, state, path, new HashSet<>());
            if (found != null) {
                return java.util.Optional.of(found);
            }
        }
        return java.util.Optional.empty();
    }

    private static List<String> visit(String id, Map<String, StepSpec> byId, Map<String, Integer> state, List<String> path, Set<String> onPath) {
        Integer st = state.get(id);
        if (st != null && st == 2) {
            return null;
        }
        if (onPath.contains(id)) {
            List<String> c = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            c.add(id);
            return c;
        }
        StepSpec s = byId.get(id);
        if (s == null) {
            return null;
        }
        onPath.add(id);
        path.add(id);
        for (String d : s.dependsOn()) {
            if (!d.equals(id)) {
                List<String> c = visit(d, byId, state, path, onPath);
                if (c != null) {
                    return c;
                }
            }
        }
        path.remove(path.size() - 1);
        onPath.remove(id);
        state.put(id, 2);
        return null;
    }
}
