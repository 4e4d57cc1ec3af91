package dev.ferry.pipeline;

import dev.ferry.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Expands a validated pipeline into the steps that run. A step with {@code foreach} becomes one
 * step per combination of values (a matrix over several keys). A dependency on a fanned-out step
 * means all its expansions, except that two steps fanned out over the same key are paired value
 * by value ({@code evaluate[country=DE]} waits only for {@code train[country=DE]}).
 */
final class Plan {

    private Plan() {
    }

    static List<PlannedStep> of(Pipeline pipeline) {
        Map<String, List<Map<String, String>>> expansions = new LinkedHashMap<>();
        for (StepSpec s : pipeline.steps()) {
            expansions.put(s.id(), combinations(s.foreach()));
        }
        List<PlannedStep> out = new ArrayList<>();
        for (StepSpec s : topological(pipeline.steps())) {
            for (Map<String, String> b : expansions.get(s.id())) {
                List<String> deps = new ArrayList<>();
                for (String d : s.dependsOn()) {
                    for (Map<String, String> db : expansions.get(d)) {
                        if (compatible(b, db)) {
                            deps.add(idOf(d, db));
                        }
                    }
                }
                Map<String, Object> params = new LinkedHashMap<>();
                s.params().forEach((k, v) -> params.put(k, substitute(v, pipeline, b)));
                long seed = pipeline.seed();
                if (params.containsKey("seed")) {
                    try {
                        seed = Long.parseLong(String.valueOf(params.get("seed")).trim());
                    } catch (NumberFormatException e) {
                        throw new InvalidInputException(pipeline.origin() + ": step '" + s.id() + "' field 'params.seed': was '"
                                + params.get("seed") + "'; expected an integer");
                    }
                }
                out.add(new PlannedStep(idOf(s.id(), b), s, b, deps, params, seed));
            }
        }
        return out;
    }

    private static List<StepSpec> topological(List<StepSpec> steps) {
        Map<String, StepSpec> byId = new LinkedHashMap<>();
        steps.forEach(s -> byId.put(s.id(), s));
        List<StepSpec> out = new ArrayList<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        while (out.size() < steps.size()) {
            for (StepSpec s : steps) {
                if (!done.contains(s.id()) && done.containsAll(s.dependsOn())) {
                    out.add(s);
                    done.add(s.id());
                }
            }
        }
        return out;
    }

    static String idOf(String id, Map<String, String> bindings) {
        if (bindings.isEmpty()) {
            return id;
        }
        StringBuilder sb = new StringBuilder(id).append('[');
        bindings.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ",").append(k).append('=').append(v));
        return sb.append(']').toString();
    }

    private static boolean compatible(Map<String, String> a, Map<String, String> b) {
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (b.containsKey(e.getKey()) && !b.get(e.getKey()).equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static List<Map<String, String>> combinations(Map<String, List<String>> foreach) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : foreach.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private static Object substitute(Object value, Pipeline p, Map<String, String> bindings) {
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(substitute(v, p, bindings)));
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), substitute(v, p, bindings)));
            return out;
        }
        if (!(value instanceof String s) || !s.contains("${")) {
            return value;
        }
        Matcher m = PipelineValidator.REF.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = m.group(1).equals("params") ? p.params().get(m.group(2)) : bindings.get(m.group(2));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(sb);
        return sb.toString().replace("${seed}", String.valueOf(p.seed()));
    }
}
