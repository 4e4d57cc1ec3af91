package dev.ferry.rollout;

import java.util.Map;

/**
 * One gate's verdict on the traffic of a stage so far, with the figures it decided on.
 *
 * @param gate     the gate's name ({@code error_rate}, {@code latency_p99}, ...)
 * @param verdict  pass, fail, or wait for more samples
 * @param message  the verdict in words, with the figures
 * @param figures  the numbers behind it (rates, p-value, percentiles, distance)
 */
public record GateResult(String gate, Verdict verdict, String message, Map<String, Double> figures) {

    public GateResult {
        figures = Map.copyOf(figures);
    }

    /** A gate's verdict. */
    public enum Verdict {
        PASS, FAIL, WAIT
    }

    public static GateResult pass(String gate, String message, Map<String, Double> figures) {
        return new GateResult(gate, Verdict.PASS, message, figures);
    }

    public static GateResult fail(String gate, String message, Map<String, Double> figures) {
        return new GateResult(gate, Verdict.FAIL, message, figures);
    }

    public static GateResult waiting(String gate, String message, Map<String, Double> figures) {
        return new GateResult(gate, Verdict.WAIT, message, figures);
    }
}
