package dev.ferry.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** The JSON form of a {@link QualityRun}, with a format number that readers check. */
final class RunJson {

    static final int FORMAT = 1;
    static final ObjectMapper MAPPER = new ObjectMapper();

    private RunJson() {
    }

    static ObjectNode write(QualityRun run) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("target", run.target());
        n.put("source", run.source());
        n.put("at", run.at().toString());
        n.put("passed", run.passed());
        ObjectNode m = n.putObject("metrics");
        m.put("rows", run.metrics().rows());
        run.metrics().newest().ifPresent(t -> m.put("newest", t.toString()));
        ObjectNode cols = m.putObject("columns");
        run.metrics().columns().forEach((name, c) -> {
            ObjectNode o = cols.putObject(name);
            o.put("type", c.type());
            o.put("nulls", c.nulls());
            o.put("invalid", c.invalid());
            c.min().ifPresent(v -> o.put("min", v));
            c.max().ifPresent(v -> o.put("max", v));
        });
        ArrayNode results = n.putArray("results");
        for (CheckResult r : run.results()) {
            ObjectNode o = results.addObject();
            o.put("check", r.check());
            o.put("status", r.status().name());
            o.put("observed", r.observed());
            o.put("expected", r.expected());
            r.allowedBecause().ifPresent(s -> o.put("allowed_because", s));
        }
        ArrayNode allowed = n.putArray("allowed_failures");
        for (AllowedFailure a : run.allowed()) {
            allowed.addObject().put("check", a.check()).put("reason", a.reason());
        }
        return n;
    }

    static QualityRun read(JsonNode n, String file) {
        int format = n.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new InvalidInputException("quality history file " + file + " has format " + n.path("format")
                    + " but this version of Ferry reads format " + FORMAT);
        }
        String target = n.path("target").asText();
        JsonNode m = n.path("metrics");
        Map<String, Metrics.ColumnStats> cols = new LinkedHashMap<>();
        m.path("columns").properties().forEach(e -> {
            JsonNode c = e.getValue();
            cols.put(e.getKey(), new Metrics.ColumnStats(c.path("type").asText(), c.path("nulls").asLong(), c.path("invalid").asLong(),
                    optDouble(c.get("min")), optDouble(c.get("max"))));
        });
        Optional<Instant> newest = m.hasNonNull("newest") ? Optional.of(Instant.parse(m.get("newest").asText())) : Optional.empty();
        List<CheckResult> results = new ArrayList<>();
        for (JsonNode r : n.path("results")) {
            results.add(new CheckResult(target, r.path("check").asText(), Status.valueOf(r.path("status").asText()),
                    r.path("observed").asText(), r.path("expected").asText(),
                    r.hasNonNull("allowed_because") ? Optional.of(r.get("allowed_because").asText()) : Optional.empty()));
        }
        List<AllowedFailure> allowed = new ArrayList<>();
        for (JsonNode a : n.path("allowed_failures")) {
            allowed.add(new AllowedFailure(a.path("check").asText(), a.path("reason").asText()));
        }
        return new QualityRun(target, n.path("source").asText(), Instant.parse(n.path("at").asText()),
                new Metrics(m.path("rows").asLong(), cols, newest), results, allowed);
    }

    private static OptionalDouble optDouble(JsonNode n) {
        return n == null || n.isNull() ? OptionalDouble.empty() : OptionalDouble.of(n.asDouble());
    }
}
