package dev.ferry.rollout;

import dev.ferry.serving.ServedListener;
import dev.ferry.serving.ServedRequest;
import dev.ferry.types.Row;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-model figures of the deployments under rollout, fed by the serving engine's
 * {@link ServedListener} hook: counts by outcome and the latest latencies and predictions, in
 * bounded rings. The driver clears a deployment's windows when its rollout changes stage, so a
 * stage is judged on its own traffic only.
 */
final class TrafficWindows implements ServedListener {

    /** Values kept per side for percentiles and distributions. */
    static final int CAPACITY = 20_000;

    private final Map<String, Map<String, Window>> windows = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> outputs = new ConcurrentHashMap<>();

    /** Starts (or restarts) collecting for {@code deployment}, reading {@code output} (empty: the first numeric output). */
    void watch(String deployment, Optional<String> output) {
        outputs.put(deployment, output);
        windows.put(deployment, new ConcurrentHashMap<>());
    }

    void unwatch(String deployment) {
        windows.remove(deployment);
        outputs.remove(deployment);
    }

    boolean watching(String deployment) {
        return windows.containsKey(deployment);
    }

    @Override
    public void served(ServedRequest r) {
        Map<String, Window> w = windows.get(r.deployment());
        if (w == null) {
            return;
        }
        Window win = w.computeIfAbsent(key(r.model(), r.version(), r.shadow()), k -> new Window(r.shadow()));
        double value = r.output().map(o -> number(o, outputs.getOrDefault(r.deployment(), Optional.empty()))).orElse(Double.NaN);
        win.add(r.outcome(), r.latencyNanos() / 1e6, value);
    }

    /** The figures of {@code model@version} (mirrored or routed) in {@code deployment} since the last {@link #watch}. */
    ArmSample sample(String deployment, String model, int version, boolean shadow) {
        Map<String, Window> w = windows.get(deployment);
        Window win = w == null ? null : w.get(key(model, version, shadow));
        return win == null ? new ArmSample(0, 0, 0, new double[0], new double[0], shadow) : win.snapshot();
    }

    private static String key(String model, int version, boolean shadow) {
        return model + "@" + version + (shadow ? "#shadow" : "");
    }

    /** The compared output of an answer as a number, or NaN when it has none. */
    static double number(Row row, Optional<String> output) {
        if (output.isPresent()) {
            return scalar(row.get(output.get()));
        }
        for (Object v : row.values().values()) {
            double d = scalar(v);
            if (!Double.isNaN(d)) {
                return d;
            }
        }
        return Double.NaN;
    }

    private static double scalar(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof double[] a && a.length > 0) {
            return a[0];
        }
        if (v instanceof float[] a && a.length > 0) {
            return a[0];
        }
        if (v instanceof java.util.List<?> l && !l.isEmpty() && l.getFirst() instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN;
    }

    /** One side's counters and rings; writers are request threads, the reader the driver. */
    private static final class Window {
        private final boolean shadow;
        private long requests;
        private long errors;
        private long fallbacks;
        private final double[] latency = new double[CAPACITY];
        private int latencyCount;
        private final double[] predictions = new double[CAPACITY];
        private int predictionCount;

        Window(boolean shadow) {
            this.shadow = shadow;
        }

        synchronized void add(ServedRequest.Outcome outcome, double millis, double prediction) {
            requests++;
            if (outcome != ServedRequest.Outcome.ANSWERED) {
                errors++;
            }
            if (outcome == ServedRequest.Outcome.FALLBACK) {
                fallbacks++;
            }
            latency[latencyCount++ % CAPACITY] = millis;
            if (!Double.isNaN(prediction)) {
                predictions[predictionCount++ % CAPACITY] = prediction;
            }
        }

        synchronized ArmSample snapshot() {
            return new ArmSample(requests, errors, fallbacks, java.util.Arrays.copyOf(latency, Math.min(latencyCount, CAPACITY)),
                    java.util.Arrays.copyOf(predictions, Math.min(predictionCount, CAPACITY)), shadow);
        }
    }
}
