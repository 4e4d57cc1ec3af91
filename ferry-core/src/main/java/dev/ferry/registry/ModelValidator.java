package dev.ferry.registry;

import dev.ferry.FerryException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.Model;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The validation gate: a loaded model must match the signature it claims and reproduce its
 * golden examples. Registries run it before storing a version, servers before marking a model
 * ready. Every failure is reported at once.
 */
public final class ModelValidator {

    private ModelValidator() {
    }

    public static void check(Model model, Optional<ModelSignature> claimed, List<GoldenExample> golden) {
        List<String> problems = new ArrayList<>();
        claimed.flatMap(c -> c.mismatch(model.signature()))
                .ifPresent(m -> problems.add("signature does not match the artifact: " + m));
        if (problems.isEmpty()) {
            problems.addAll(golden(model, golden));
        }
        if (!problems.isEmpty()) {
            throw new ValidationFailedException(String.join("; ", problems));
        }
    }

    /** Runs the golden examples; returns one line per failure. */
    public static List<String> golden(Model model, List<GoldenExample> golden) {
        List<String> problems = new ArrayList<>();
        if (golden.isEmpty()) {
            return problems;
        }
        List<Row> inputs = new ArrayList<>(golden.size());
        for (GoldenExample g : golden) {
            inputs.add(new Row(g.inputs()));
        }
        List<Row> outputs;
        try {
            outputs = model.predictRows(inputs);
        } catch (FerryException e) {
            problems.add("golden examples could not be run: " + e.getMessage());
            return problems;
        }
        for (int i = 0; i < golden.size(); i++) {
            GoldenExample g = golden.get(i);
            Row out = outputs.get(i);
            for (var e : g.expected().entrySet()) {
                if (!out.has(e.getKey())) {
                    problems.add("golden example " + i + ": output '" + e.getKey() + "' is not produced by the model (outputs: "
                            + out.values().keySet() + ")");
                    continue;
                }
                String diff = compare(e.getValue(), out.get(e.getKey()), g.tolerance());
                if (diff != null) {
                    problems.add("golden example " + i + ": output '" + e.getKey() + "' " + diff);
                }
            }
        }
        return problems;
    }

    private static String compare(Object expected, Object actual, double tol) {
        double[] e = numbers(expected);
        double[] a = numbers(actual);
        if (e == null || a == null) {
            return java.util.Objects.equals(String.valueOf(expected), String.valueOf(actual)) ? null
                    : "was " + render(actual) + " but expected " + render(expected);
        }
        if (e.length != a.length) {
            return "has " + a.length + " values but expected " + e.length;
        }
        for (int k = 0; k < e.length; k++) {
            boolean bothNaN = Double.isNaN(e[k]) && Double.isNaN(a[k]);
            if (!bothNaN && !(Math.abs(a[k] - e[k]) <= tol * Math.max(1.0, Math.abs(e[k])))) {
                return "was " + render(actual) + " but expected " + render(expected) + " within " + tol;
            }
        }
        return null;
    }

    private static double[] numbers(Object v) {
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (v instanceof Boolean b) {
            return new double[] {b ? 1 : 0};
        }
        if (v instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n)) {
                    return null;
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        if (v != null && v.getClass().isArray() && v.getClass().getComponentType().isPrimitive()) {
            int n = java.lang.reflect.Array.getLength(v);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                Object x = java.lang.reflect.Array.get(v, i);
                out[i] = x instanceof Boolean b ? (b ? 1 : 0) : ((Number) x).doubleValue();
            }
            return out;
        }
        return null;
    }

    private static String render(Object v) {
        double[] d = numbers(v);
        if (d != null && d.length != 1) {
            return java.util.Arrays.toString(d);
        }
        return String.valueOf(v);
    }
}
