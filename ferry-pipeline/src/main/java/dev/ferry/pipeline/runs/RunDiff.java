package dev.ferry.pipeline.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What differs between two runs, grouped the way a reviewer asks: parameters and seed, input
 * data fingerprints, code and library versions, metrics, and outputs (model hashes).
 *
 * @param params   differing parameters (and {@code seed})
 * @param data     differing fingerprints of input files, keyed {@code step/input}
 * @param code     differing code version, pipeline definition and environment entries
 * @param metrics  differing metrics, keyed {@code step/metric}
 * @param outputs  differing output fingerprints, keyed {@code step/file}
 */
public record RunDiff(List<Change> params, List<Change> data, List<Change> code, List<Change> metrics, List<Change> outputs) {

    /** One differing entry; a side is null where the key is absent. */
    public record Change(String key, String left, String right) {
    }

    public boolean isEmpty() {
        return params.isEmpty() && data.isEmpty() && code.isEmpty() && metrics.isEmpty() && outputs.isEmpty();
    }

    public static RunDiff of(RunRecord a, RunRecord b) {
        List<Change> params = compare(a.params(), b.params());
        if (a.seed() != b.seed()) {
            params.add(new Change("seed", String.valueOf(a.seed()), String.valueOf(b.seed())));
        }
        List<Change> code = new ArrayList<>();
        if (!a.code().equals(b.code())) {
            code.add(new Change("commit", a.code().commit() + (a.code().dirty() ? " (dirty)" : ""),
                    b.code().commit() + (b.code().dirty() ? " (dirty)" : "")));
        }
        if (!Objects.equals(a.definition(), b.definition())) {
            code.add(new Change("pipeline definition", "sha256:" + sha(a.definition()), "sha256:" + sha(b.definition())));
        }
        code.addAll(compare(a.environment(), b.environment()));
        for (StepRecord s : a.steps()) {
            b.step(s.id()).filter(o -> o.typeVersion() != s.typeVersion())
                    .ifPresent(o -> code.add(new Change(s.id() + "/type_version", String.valueOf(s.typeVersion()), String.valueOf(o.typeVersion()))));
        }
        return new RunDiff(params, compare(external(a.inputs()), external(b.inputs())), code, compare(strings(a.metrics()), strings(b.metrics())),
                compare(a.outputs(), b.outputs()));
    }

    /** Inputs read from outside the run (files), not the outputs of earlier steps, which {@code outputs} shows. */
    private static Map<String, String> external(Map<String, String> inputs) {
        Map<String, String> out = new java.util.TreeMap<>(inputs);
        out.keySet().removeIf(k -> k.contains("/step:"));
        return out;
    }

    private static Map<String, String> strings(Map<String, Double> m) {
        Map<String, String> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static List<Change> compare(Map<String, String> a, Map<String, String> b) {
        List<Change> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (!Objects.equals(a.get(k), b.get(k))) {
                out.add(new Change(k, a.get(k), b.get(k)));
            }
        }
        return out;
    }

    private static String sha(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(text).getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
