package dev.ferry.rollout;

import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in gates: error rate, fallback rate, p99 latency and prediction divergence, each
 * comparing the candidate with the champion on the same stage's traffic, and deciding only once
 * both sides have the plan's minimum number of requests.
 */
final class Gates {

    private Gates() {
    }

    static List<GateSignal> builtIn() {
        return List.of(new RateGate("error_rate", true), new RateGate("fallback_rate", false), new LatencyGate(), new DivergenceGate());
    }

    /**
     * The offline stage: the candidate's metric recorded in the registry (measured on a held-out
     * set) against the champion's; fails when a side lacks it or the candidate is worse by more
     * than the margin.
     */
    static GateResult offline(ModelRegistry registry, RolloutState s) {
        Optional<RolloutPlan.OfflineCheck> check = s.plan().offline();
        if (check.isEmpty()) {
            return GateResult.pass("offline", "no offline check in the plan", Map.of());
        }
        RolloutPlan.OfflineCheck c = check.get();
        ModelVersion cand = registry.version(s.plan().candidate().model(), s.plan().candidateVersion());
        ModelVersion champ = registry.version(s.champion().model(), s.championVersion());
        Double a = cand.provenance().metrics().get(c.metric());
        Double b = champ.provenance().metrics().get(c.metric());
        if (a == null || b == null) {
            return GateResult.fail("offline", "metric '" + c.metric() + "' is not recorded for " + (a == null ? cand.ref() : champ.ref())
                    + " in the registry; recorded: " + (a == null ? cand : champ).provenance().metrics().keySet(), Map.of());
        }
        double worse = c.higherIsBetter() ? b - a : a - b;
        Map<String, Double> f = Map.of("candidate", a, "champion", b, "margin", c.margin());
        String text = String.format(java.util.Locale.ROOT, "offline %s candidate %s=%.6g vs champion %s=%.6g (%s is better, margin %.4g)",
                c.metric(), cand.ref(), a, champ.ref(), b, c.higherIsBetter() ? "higher" : "lower", c.margin());
        return worse > c.margin() ? GateResult.fail("offline", text + ": worse by more than the margin", f) : GateResult.pass("offline", text, f);
    }

    private static Map<String, Double> figures(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return m;
    }

    private static String pct(double rate) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", rate * 100);
    }

    /** Error or fallback rate: a one-sided two-proportion z-test against the champion. */
    private record RateGate(String name, boolean errors) implements GateSignal {

        @Override
        public GateResult evaluate(GateContext c) {
            ArmSample champ = c.champion();
            if (!errors && (champ.shadow() || c.candidate().shadow())) {
                // mirrored calls have no fallback chain: compare with the champion's last live figures
                champ = c.baseline();
                if (champ.requests() < c.minSamples() || c.candidate().shadow()) {
                    // e.g. the canary was skipped by hand: there is nothing live to compare with
                    return GateResult.pass(name, "no live traffic on both sides to compare fallbacks", Map.of());
                }
            }
            ArmSample cand = c.candidate();
            long x1 = errors ? cand.errors() : cand.fallbacks();
            long x2 = errors ? champ.errors() : champ.fallbacks();
            if (cand.requests() < c.minSamples() || champ.requests() < c.minSamples()) {
                return GateResult.waiting(name, "candidate has " + cand.requests() + " and champion " + champ.requests()
                        + " requests; " + c.minSamples() + " each are needed", figures("candidate_requests", cand.requests(),
                        "champion_requests", champ.requests()));
            }
            double margin = errors ? c.thresholds().errorMargin() : c.thresholds().fallbackMargin();
            Statistics.ZTest t = Statistics.twoProportion(x1, cand.requests(), x2, champ.requests(), margin);
            double r1 = (double) x1 / cand.requests();
            double r2 = (double) x2 / champ.requests();
            Map<String, Double> f = figures("candidate_rate", r1, "champion_rate", r2, "candidate_requests", cand.requests(),
                    "champion_requests", champ.requests(), "z", t.z(), "p_value", t.p(), "margin", margin);
            String text = name + " candidate " + pct(r1) + " (" + x1 + "/" + cand.requests() + ") vs champion " + pct(r2) + " ("
                    + x2 + "/" + champ.requests() + "), one-sided z=" + String.format(java.util.Locale.ROOT, "%.2f", t.z())
                    + " p=" + String.format(java.util.Locale.ROOT, "%.4g", t.p());
            if (t.p() < 1 - c.thresholds().confidence()) {
                return GateResult.fail(name, text + ": higher at " + c.thresholds().confidence() * 100 + "% confidence", f);
            }
            return GateResult.pass(name, text, f);
        }
    }

    /** p99 latency within the tolerance of the champion's, compared on live traffic only. */
    private static final class LatencyGate implements GateSignal {

        @Override
        public String name() {
            return "latency_p99";
        }

        @Override
        public GateResult evaluate(GateContext c) {
            ArmSample cand = c.candidate();
            boolean fromBaseline = c.champion().shadow();
            ArmSample champ = fromBaseline ? c.baseline() : c.champion();
            // a p99 needs about a hundred values to mean anything
            int needed = Math.max(c.minSamples(), 100);
            if (cand.shadow() || (fromBaseline && champ.latencyMillis().length < Math.min(needed, 1_000))) {
                // the shadow's latency is not a request's; a baseline too small (a canary skipped by hand) is no yardstick
                return GateResult.pass(name(), "no live latencies on both sides to compare", Map.of());
            }
            if (cand.latencyMillis().length < needed || (!fromBaseline && champ.latencyMillis().length < needed)) {
                return GateResult.waiting(name(), "candidate has " + cand.latencyMillis().length + " and champion "
                        + champ.latencyMillis().length + " latencies; " + needed + " each are needed", Map.of());
            }
            double p1 = Statistics.percentile(cand.latencyMillis(), 99);
            double p2 = Statistics.percentile(champ.latencyMillis(), 99);
            double limit = p2 * (1 + c.thresholds().latencyTolerance()) + c.thresholds().latencySlackMillis();
            Map<String, Double> f = figures("candidate_p99_ms", p1, "champion_p99_ms", p2, "limit_ms", limit);
            String text = String.format(java.util.Locale.ROOT, "p99 candidate %.2f ms vs champion %.2f ms (limit %.2f ms)", p1, p2, limit);
            return p1 > limit ? GateResult.fail(name(), text, f) : GateResult.pass(name(), text, f);
        }
    }

    /** The two sides' prediction distributions: a two-sample Kolmogorov-Smirnov test, PSI reported beside it. */
    private static final class DivergenceGate implements GateSignal {

        @Override
        public String name() {
            return "prediction_divergence";
        }

        @Override
        public GateResult evaluate(GateContext c) {
            double[] a = c.champion().predictions();
            double[] b = c.candidate().predictions();
            if (a.length < c.minSamples() || b.length < c.minSamples()) {
                return GateResult.waiting(name(), "candidate has " + b.length + " and champion " + a.length + " predictions; "
                        + c.minSamples() + " each are needed", Map.of());
            }
            Statistics.KsTest ks = Statistics.ks(a, b);
            double psi = Statistics.psi(a, b);
            Map<String, Double> f = figures("ks_distance", ks.distance(), "p_value", ks.p(), "psi", psi,
                    "max_distance", c.thresholds().maxDivergence());
            String text = String.format(java.util.Locale.ROOT, "prediction distributions: KS distance %.3f (max %.3f), p=%.4g, PSI %.3f",
                    ks.distance(), c.thresholds().maxDivergence(), ks.p(), psi);
            boolean significant = ks.p() < 1 - c.thresholds().confidence();
            return significant && ks.distance() > c.thresholds().maxDivergence()
                    ? GateResult.fail(name(), text, f) : GateResult.pass(name(), text, f);
        }
    }
}
