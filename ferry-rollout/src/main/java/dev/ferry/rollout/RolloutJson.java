package dev.ferry.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.serving.ModelRef;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The persisted form of a {@link RolloutState} ({@code "format": 1}), the same in the file and
 * PostgreSQL stores, and the plan's JSON as the admin API takes it. A state written in a format
 * this code does not know is refused with both numbers.
 */
public final class RolloutJson {

    static final int FORMAT = 1;
    static final ObjectMapper JSON = new ObjectMapper();
    /** Latencies kept in a persisted baseline: enough for a p99. */
    private static final int BASELINE_VALUES = 2_000;
    /** Values of each kind a server publishes per side in a traffic report. */
    static final int REPORT_VALUES = 5_000;

    private RolloutJson() {
    }

    public static ObjectNode write(RolloutState s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("id", s.id());
        o.set("plan", plan(s.plan()));
        o.put("champion", s.champion().toString());
        o.put("champion_arm", s.championArm());
        o.put("champion_version", s.championVersion());
        o.put("stage", s.stage().name());
        o.put("step", s.step());
        o.put("label", s.label());
        o.put("candidate_percent", s.candidatePercent());
        o.put("paused", s.paused());
        o.put("stage_started_at", s.stageStartedAt().toString());
        o.put("created_at", s.createdAt().toString());
        o.put("revision", s.revision());
        ArrayNode h = o.putArray("history");
        for (Transition t : s.history()) {
            ObjectNode n = h.addObject();
            n.put("at", t.at().toString());
            n.put("from", t.from());
            n.put("to", t.to());
            n.put("actor", t.actor());
            n.put("reason", t.reason());
        }
        ArrayNode g = o.putArray("gates");
        s.gates().forEach(r -> g.add(gate(r)));
        s.failure().ifPresent(f -> o.set("failure", gate(f)));
        s.rollbackMillis().ifPresent(m -> o.put("rollback_ms", m));
        s.baseline().ifPresent(b -> o.set("baseline", sample(new ArmSample(b.requests(), b.errors(), b.fallbacks(), b.latencyMillis(),
                new double[0], false).latest(BASELINE_VALUES))));
        return o;
    }

    /**
     * The open, read-only view of a rollout ({@code GET /v1/rollouts}): what is served and how the
     * candidate does, without who changed it (the audit log, behind the admin token, says that)
     * and without the baseline's raw latencies. Each transition says only whether the gates made
     * it ({@code "automatic": true}) or a person did.
     */
    public static ObjectNode view(RolloutState s, Instant now) {
        ObjectNode o = write(s);
        o.remove("baseline");
        o.remove("format");
        o.put("candidate", s.plan().candidate().toString());
        o.put("deployment", s.plan().deployment());
        o.put("shadow_share", s.plan().shadowShare());
        if (s.stage().terminal()) {
            o.putNull("seconds_in_stage");
        } else {
            o.put("seconds_in_stage", Math.max(0, Duration.between(s.stageStartedAt(), now).toMillis() / 1000.0));
        }
        for (JsonNode t : o.get("history")) {
            ObjectNode n = (ObjectNode) t;
            n.put("automatic", RolloutEngine.AUTOMATIC.equals(n.remove("actor").asText()));
        }
        return o;
    }

    private static ObjectNode sample(ArmSample b) {
        ObjectNode n = JSON.createObjectNode();
        n.put("requests", b.requests());
        n.put("errors", b.errors());
        n.put("fallbacks", b.fallbacks());
        n.put("shadow", b.shadow());
        ArrayNode lat = n.putArray("latency_ms");
        for (double v : b.latencyMillis()) {
            lat.add(v);
        }
        ArrayNode pred = n.putArray("predictions");
        for (double v : b.predictions()) {
            pred.add(v);
        }
        return n;
    }

    private static ArmSample readSample(JsonNode b) {
        return new ArmSample(b.get("requests").asLong(), b.get("errors").asLong(), b.get("fallbacks").asLong(), doubles(b.path("latency_ms")),
                doubles(b.path("predictions")), b.path("shadow").asBoolean(false));
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    /** A server's report of a stage's traffic, as the stores keep it ({@code "format": 1}), its values capped for size. */
    static String writeReport(TrafficReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("owner", r.owner());
        o.put("stage", r.stage());
        o.put("at", r.at().toString());
        o.set("champion", sample(r.champion().latest(REPORT_VALUES)));
        o.set("candidate", sample(r.candidate().latest(REPORT_VALUES)));
        return o.toString();
    }

    static TrafficReport readReport(String text) {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidInputException("traffic report is not valid JSON: " + e.getMessage());
        }
        int format = o.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new InvalidInputException("traffic report has format " + format + " but this Ferry reads only format " + FORMAT);
        }
        return new TrafficReport(o.get("owner").asText(), o.get("stage").asText(), Instant.parse(o.get("at").asText()),
                readSample(o.get("champion")), readSample(o.get("candidate")));
    }

    static ObjectNode gate(GateResult r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("gate", r.gate());
        n.put("verdict", r.verdict().name());
        n.put("message", r.message());
        ObjectNode f = n.putObject("figures");
        r.figures().forEach((k, v) -> {
            if (Double.isFinite(v)) {
                f.put(k, v);
            } else {
                f.put(k, v.toString());
            }
        });
        return n;
    }

    /** The plan as the admin API takes it. */
    public static ObjectNode plan(RolloutPlan p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("deployment", p.deployment());
        o.put("candidate", p.candidate().toString());
        p.offline().ifPresent(c -> {
            ObjectNode n = o.putObject("offline");
            n.put("metric", c.metric());
            n.put("higher_is_better", c.higherIsBetter());
            n.put("margin", c.margin());
        });
        o.put("shadow_share", p.shadowShare());
        ArrayNode steps = o.putArray("canary_steps");
        p.canarySteps().forEach(steps::add);
        o.put("min_duration_seconds", p.minDuration().toSeconds());
        o.put("min_samples", p.minSamples());
        o.put("watch_seconds", p.watch().toSeconds());
        ObjectNode g = o.putObject("gates");
        g.put("confidence", p.gates().confidence());
        g.put("error_margin", p.gates().errorMargin());
        g.put("fallback_margin", p.gates().fallbackMargin());
        g.put("latency_tolerance", p.gates().latencyTolerance());
        g.put("latency_slack_ms", p.gates().latencySlackMillis());
        g.put("max_divergence", p.gates().maxDivergence());
        p.output().ifPresent(v -> o.put("output", v));
        return o;
    }

    /**
     * Reads a plan as the admin API takes it: {@code deployment} and {@code candidate} are
     * required, everything else has the defaults of {@link RolloutPlan#of}. Unknown fields and
     * wrong types are refused naming the field.
     */
    public static RolloutPlan parsePlan(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new InvalidInputException("the rollout plan must be a JSON object");
        }
        Fields f = new Fields(o, "");
        f.allowOnly("deployment", "candidate", "offline", "shadow_share", "canary_steps", "min_duration_seconds", "min_samples",
                "watch_seconds", "gates", "output");
        RolloutPlan d = RolloutPlan.of("x", new ModelRef("x", "1"));
        Optional<RolloutPlan.OfflineCheck> offline = Optional.empty();
        if (o.hasNonNull("offline")) {
            Fields of = f.object("offline");
            of.allowOnly("metric", "higher_is_better", "margin");
            offline = Optional.of(new RolloutPlan.OfflineCheck(of.text("metric"), of.bool("higher_is_better", true),
                    of.number("margin", 0)));
        }
        List<Double> steps = d.canarySteps();
        if (o.hasNonNull("canary_steps")) {
            JsonNode a = o.get("canary_steps");
            if (!a.isArray()) {
                throw new InvalidInputException("field 'canary_steps' must be an array of percentages but was " + a);
            }
            steps = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isNumber()) {
                    throw new InvalidInputException("field 'canary_steps[" + i + "]' must be a number but was " + a.get(i));
                }
                steps.add(a.get(i).doubleValue());
            }
        }
        GateThresholds g = d.gates();
        if (o.hasNonNull("gates")) {
            Fields gf = f.object("gates");
            gf.allowOnly("confidence", "error_margin", "fallback_margin", "latency_tolerance", "latency_slack_ms", "max_divergence");
            g = new GateThresholds(gf.number("confidence", g.confidence()), gf.number("error_margin", g.errorMargin()),
                    gf.number("fallback_margin", g.fallbackMargin()), gf.number("latency_tolerance", g.latencyTolerance()),
                    gf.number("latency_slack_ms", g.latencySlackMillis()), gf.number("max_divergence", g.maxDivergence()));
        }
        String candidate = f.text("candidate");
        if (!candidate.contains("@")) {
            throw new InvalidInputException("field 'candidate' was '" + candidate + "' but it must be model@version");
        }
        return new RolloutPlan(f.text("deployment"), ModelRef.parse(candidate), offline,
                f.number("shadow_share", d.shadowShare()), steps,
                Duration.ofSeconds(f.integer("min_duration_seconds", d.minDuration().toSeconds())),
                (int) f.integer("min_samples", d.minSamples()),
                Duration.ofSeconds(f.integer("watch_seconds", d.watch().toSeconds())), g,
                o.hasNonNull("output") ? Optional.of(f.text("output")) : Optional.empty());
    }

    public static RolloutState read(String text) {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidInputException("rollout state is not valid JSON: " + e.getMessage());
        }
        int format = o.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new InvalidInputException("rollout state has format " + format + " but this Ferry reads only format " + FORMAT);
        }
        List<Transition> history = new ArrayList<>();
        o.path("history").forEach(t -> history.add(new Transition(Instant.parse(t.get("at").asText()), t.get("from").asText(),
                t.get("to").asText(), t.get("actor").asText(), t.get("reason").asText())));
        List<GateResult> gates = new ArrayList<>();
        o.path("gates").forEach(g -> gates.add(readGate(g)));
        Optional<ArmSample> baseline = o.hasNonNull("baseline") ? Optional.of(readSample(o.get("baseline"))) : Optional.empty();
        return new RolloutState(o.get("id").asText(), parsePlan(o.get("plan")), ModelRef.parse(o.get("champion").asText()),
                o.get("champion_arm").asText(), o.get("champion_version").asInt(), Stage.valueOf(o.get("stage").asText()),
                o.get("step").asInt(), o.get("paused").asBoolean(), Instant.parse(o.get("stage_started_at").asText()),
                Instant.parse(o.get("created_at").asText()), o.get("revision").asLong(), history, gates,
                o.hasNonNull("failure") ? Optional.of(readGate(o.get("failure"))) : Optional.empty(),
                o.hasNonNull("rollback_ms") ? Optional.of(o.get("rollback_ms").asDouble()) : Optional.empty(), baseline);
    }

    private static GateResult readGate(JsonNode g) {
        Map<String, Double> figures = new LinkedHashMap<>();
        g.path("figures").properties().forEach(e -> figures.put(e.getKey(), e.getValue().isNumber()
                ? e.getValue().doubleValue() : Double.parseDouble(e.getValue().asText())));
        return new GateResult(g.get("gate").asText(), GateResult.Verdict.valueOf(g.get("verdict").asText()),
                g.get("message").asText(), figures);
    }

    /** Typed reads of one JSON object's fields, each failure naming the field's path. */
    private record Fields(JsonNode node, String prefix) {

        void allowOnly(String... names) {
            List<String> known = List.of(names);
            node.fieldNames().forEachRemaining(n -> {
                if (!known.contains(n)) {
                    throw new InvalidInputException("field '" + prefix + n + "' is not known; known fields: " + known);
                }
            });
        }

        Fields object(String name) {
            JsonNode n = node.get(name);
            if (!n.isObject()) {
                throw new InvalidInputException("field '" + prefix + name + "' must be an object but was " + n);
            }
            return new Fields(n, prefix + name + ".");
        }

        String text(String name) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) {
                throw new InvalidInputException("field '" + prefix + name + "' is missing");
            }
            if (!n.isTextual() || n.asText().isBlank()) {
                throw new InvalidInputException("field '" + prefix + name + "' must be a non-empty string but was " + n);
            }
            return n.asText();
        }

        double number(String name, double dflt) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isNumber()) {
                throw new InvalidInputException("field '" + prefix + name + "' must be a number but was " + n);
            }
            return n.doubleValue();
        }

        long integer(String name, long dflt) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.canConvertToLong() || !n.isIntegralNumber()) {
                throw new InvalidInputException("field '" + prefix + name + "' must be an integer but was " + n);
            }
            return n.longValue();
        }

        boolean bool(String name, boolean dflt) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isBoolean()) {
                throw new InvalidInputException("field '" + prefix + name + "' must be true or false but was " + n);
            }
            return n.booleanValue();
        }
    }
}
