package dev.ferry.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.server.ServerContext;
import dev.ferry.serving.Arm;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.ServingEngine;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only JSON the console's pages draw: one endpoint per page under
 * {@code /console/api/}. Models, deployments and traffic are open, like {@code /metrics}; the
 * audit log (who changed what) needs the admin token, like the admin API.
 */
final class ConsoleApi {

    /** The most audit entries one request returns. */
    static final int MAX_AUDIT = 1000;
    /** How much of the audit log's end is read: room for far more than {@link #MAX_AUDIT} entries. */
    static final int AUDIT_TAIL_BYTES = 4 * 1024 * 1024;

    private final ServerContext context;
    private final ServingEngine engine;
    private final TrafficHistory traffic;
    private final Duration sampleEvery;

    ConsoleApi(ServerContext context, TrafficHistory traffic, Duration sampleEvery) {
        this.context = context;
        this.engine = context.engine();
        this.traffic = traffic;
        this.sampleEvery = sampleEvery;
    }

    void register(HttpRouting.Builder r) {
        r.get("/console/api/summary", ConsoleJson.handler((req, res) -> ConsoleJson.send(res, 200, summary())));
        r.get("/console/api/models", ConsoleJson.handler((req, res) -> ConsoleJson.send(res, 200, models())));
        r.get("/console/api/models/{name}", ConsoleJson.handler((req, res) ->
                ConsoleJson.send(res, 200, model(req.path().pathParameters().get("name")))));
        r.get("/console/api/deployments", ConsoleJson.handler((req, res) -> ConsoleJson.send(res, 200, deployments())));
        r.get("/console/api/traffic", ConsoleJson.handler((req, res) ->
                ConsoleJson.send(res, 200, traffic(req.query().first("deployment").asOptional(),
                        req.query().first("minutes").asOptional()))));
        r.get("/console/api/audit", ConsoleJson.handler((req, res) -> {
            authenticate(req);
            ConsoleJson.send(res, 200, audit(req.query().first("limit").asOptional()));
        }));
    }

    private ObjectNode summary() {
        ObjectNode o = ConsoleJson.JSON.createObjectNode();
        o.put("models", registry().models().size());
        o.put("deployments", engine.deployments().size());
        o.put("ready", engine.ready());
        o.put("admin_token_configured", context.config().adminToken().isPresent());
        o.put("sample_seconds", sampleEvery.toMillis() / 1000.0);
        o.put("now", context.clock().instant().toString());
        return o;
    }

    private ObjectNode models() {
        ArrayNode list = ConsoleJson.JSON.createArrayNode();
        for (String name : registry().models()) {
            List<ModelVersion> versions = registry().versions(name);
            ObjectNode m = list.addObject();
            m.put("name", name);
            m.put("versions", versions.size());
            versions.stream().reduce((a, b) -> b).ifPresent(v -> {
                m.put("latest", v.version());
                m.put("format", v.format().name().toLowerCase(java.util.Locale.ROOT));
                m.put("created_at", v.createdAt().toString());
            });
            m.set("aliases", ConsoleJson.JSON.valueToTree(registry().aliases(name)));
        }
        ObjectNode o = ConsoleJson.JSON.createObjectNode();
        o.set("models", list);
        return o;
    }

    private ObjectNode model(String name) {
        if (!registry().models().contains(name)) {
            throw new NotFoundException("field 'name': model '" + name + "' does not exist in the registry");
        }
        ObjectNode o = ConsoleJson.JSON.createObjectNode();
        o.put("name", name);
        o.set("aliases", ConsoleJson.JSON.valueToTree(registry().aliases(name)));
        ArrayNode versions = o.putArray("versions");
        for (ModelVersion v : registry().versions(name).reversed()) {
            ObjectNode n = versions.addObject();
            n.put("version", v.version());
            n.put("format", v.format().name().toLowerCase(java.util.Locale.ROOT));
            n.put("runtime_version", v.runtimeVersion());
            n.put("sha256", v.sha256());
            n.put("size_bytes", v.sizeBytes());
            n.put("created_by", v.createdBy());
            n.put("created_at", v.createdAt().toString());
            n.put("message", v.message());
            n.set("inputs", ConsoleJson.JSON.valueToTree(v.signature().featureNames()));
            n.put("golden_examples", v.golden().size());
            n.set("provenance", provenance(v.provenance()));
        }
        ArrayNode history = o.putArray("alias_history");
        for (AliasEvent e : registry().aliasHistory(name).reversed()) {
            ObjectNode h = history.addObject();
            h.put("alias", e.alias());
            putNullable(h, "from_version", e.fromVersion());
            putNullable(h, "to_version", e.toVersion());
            h.put("actor", e.actor());
            h.put("at", e.at().toString());
            h.put("reason", e.reason());
        }
        return o;
    }

    private static void putNullable(ObjectNode o, String field, Integer value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private static ObjectNode provenance(Provenance p) {
        ObjectNode o = ConsoleJson.JSON.createObjectNode();
        if (p.trainingData() == null) {
            o.putNull("training_data");
        } else {
            ObjectNode t = o.putObject("training_data");
            t.put("source", p.trainingData().source());
            t.put("fingerprint", p.trainingData().fingerprint());
            t.put("from", p.trainingData().from() == null ? null : p.trainingData().from().toString());
            t.put("to", p.trainingData().to() == null ? null : p.trainingData().to().toString());
            t.put("rows", p.trainingData().rows());
        }
        o.set("features", ConsoleJson.JSON.valueToTree(p.features()));
        o.set("parameters", ConsoleJson.JSON.valueToTree(new java.util.TreeMap<>(p.parameters())));
        if (p.seed() == null) {
            o.putNull("seed");
        } else {
            o.put("seed", p.seed());
        }
        o.set("metrics", ConsoleJson.JSON.valueToTree(new java.util.TreeMap<>(p.metrics())));
        ObjectNode code = o.putObject("code");
        code.put("commit", p.code().commit());
        code.put("dirty", p.code().dirty());
        o.put("run_id", p.runId());
        return o;
    }

    private ObjectNode deployments() {
        ArrayNode list = ConsoleJson.JSON.createArrayNode();
        for (DeploymentSpec spec : engine.deployments()) {
            Map<String, Integer> resolved = resolved(spec.name());
            double total = spec.arms().stream().mapToDouble(Arm::weight).sum();
            ObjectNode d = list.addObject();
            d.put("name", spec.name());
            ArrayNode arms = d.putArray("arms");
            for (Arm a : spec.arms()) {
                ObjectNode n = arms.addObject();
                n.put("name", a.name());
                n.put("model", a.target().model());
                n.put("target", a.target().versionOrAlias());
                putNullable(n, "version", resolved.get("arm:" + a.name()));
                n.put("weight", a.weight());
                n.put("percent", total > 0 ? 100 * a.weight() / total : 0);
            }
            spec.shadow().ifPresentOrElse(s -> {
                ObjectNode n = d.putObject("shadow");
                n.put("model", s.target().model());
                n.put("target", s.target().versionOrAlias());
                putNullable(n, "version", resolved.get("shadow"));
                n.put("share", s.share());
            }, () -> d.putNull("shadow"));
            spec.fallback().ifPresentOrElse(f -> {
                ObjectNode n = d.putObject("fallback");
                n.put("model", f.model());
                n.put("target", f.versionOrAlias());
                putNullable(n, "version", resolved.get("fallback"));
            }, () -> d.putNull("fallback"));
            d.put("static_default", spec.staticDefault().isPresent());
            d.set("entity_keys", ConsoleJson.JSON.valueToTree(spec.entityKeys()));
            d.put("budget_ms", spec.budget().toMillis());
        }
        ObjectNode o = ConsoleJson.JSON.createObjectNode();
        o.set("deployments", list);
        return o;
    }

    /** The versions a deployment runs; empty while it is being replaced or removed. */
    private Map<String, Integer> resolved(String deployment) {
        try {
            return engine.resolvedVersions(deployment);
        } catch (NotFoundException e) {
            return Map.of();
        }
    }

    private ObjectNode traffic(Optional<String> deployment, Optional<String> minutesText) {
        int minutes = minutesText.map(t -> parseInt("minutes", t, 1, 60)).orElse(15);
        List<String> names = engine.deployments().stream().map(DeploymentSpec::name).toList();
        if (deployment.isPresent() && !names.contains(deployment.get())) {
            throw new NotFoundException("field 'deployment': deployment '" + deployment.get() + "' does not exist; deployments are " + names);
        }
        Instant since = context.clock().instant().minus(Duration.ofMinutes(minutes));
        ObjectNode o = ConsoleJson.JSON.createObjectNode();
        o.put("sample_seconds", sampleEvery.toMillis() / 1000.0);
        ArrayNode list = o.putArray("deployments");
        for (String name : deployment.map(List::of).orElse(names)) {
            ObjectNode d = list.addObject();
            d.put("name", name);
            ArrayNode samples = d.putArray("samples");
            traffic.deployment(name).stream().filter(s -> !s.at().isBefore(since)).forEach(s -> {
                ObjectNode n = samples.addObject();
                n.put("t", s.at().toEpochMilli());
                n.put("errors", s.errors());
                n.put("errors_per_second", s.errors() / s.seconds());
                n.put("error_rate", s.errorRate());
            });
            ArrayNode arms = d.putArray("arms");
            Map<String, List<TrafficHistory.ArmSample>> byArm = traffic.arms(name);
            List<String> armOrder = new java.util.ArrayList<>(engine.deployment(name).map(spec -> spec.arms().stream().map(Arm::name).toList())
                    .orElse(List.of()));
            byArm.keySet().stream().sorted().filter(a -> !armOrder.contains(a)).forEach(armOrder::add);
            armOrder.stream().filter(byArm::containsKey).forEach(arm -> {
                List<TrafficHistory.ArmSample> ring = byArm.get(arm);
                ObjectNode a = arms.addObject();
                a.put("name", arm);
                ArrayNode as = a.putArray("samples");
                ring.stream().filter(s -> !s.at().isBefore(since)).forEach(s -> {
                    ObjectNode n = as.addObject();
                    n.put("t", s.at().toEpochMilli());
                    n.put("requests", s.requests());
                    n.put("requests_per_second", s.requests() / s.seconds());
                    n.put("failed_over", s.failedOver());
                    n.put("failed_over_rate", s.requests() == 0 ? 0 : (double) s.failedOver() / s.requests());
                    putMillis(n, "p50_ms", s.p50());
                    putMillis(n, "p90_ms", s.p90());
                    putMillis(n, "p99_ms", s.p99());
                    putMillis(n, "mean_ms", s.mean());
                });
            });
        }
        return o;
    }

    private static void putMillis(ObjectNode o, String field, double ms) {
        if (Double.isNaN(ms)) {
            o.putNull(field);
        } else {
            o.put(field, ms);
        }
    }

    private ObjectNode audit(Optional<String> limitText) {
        int limit = limitText.map(t -> parseInt("limit", t, 1, MAX_AUDIT)).orElse(200);
        Deque<JsonNode> last = new ArrayDeque<>();
        List<String> lines = tail(context.auditLog());
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                last.addFirst(ConsoleJson.JSON.readTree(line));
            } catch (IOException e) {
                // a line cut short by a crash mid-write is shown as such, not hidden
                last.addFirst(ConsoleJson.JSON.createObjectNode().put("outcome", "unreadable audit line: " + line));
            }
            if (last.size() > limit) {
                last.removeLast();
            }
        }
        ObjectNode o = ConsoleJson.JSON.createObjectNode();
        o.put("file", context.auditLog().toString());
        o.set("entries", ConsoleJson.JSON.valueToTree(List.copyOf(last)));
        return o;
    }

    /**
     * The lines of the audit log's last {@value #AUDIT_TAIL_BYTES} bytes (whole lines only), so a
     * log grown over years is not read whole for a page of entries.
     */
    private static List<String> tail(java.nio.file.Path file) {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            long size = ch.size();
            long from = Math.max(0, size - AUDIT_TAIL_BYTES);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (size - from));
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) >= 0) {
                // read until the buffer is full
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            List<String> lines = new java.util.ArrayList<>(text.lines().toList());
            if (from > 0 && !lines.isEmpty()) {
                lines.removeFirst();
            }
            return lines;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UnavailableException("audit log " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static int parseInt(String field, String text, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("query parameter '" + field + "' was '" + text + "' but it must be an integer from " + min + " to " + max);
        }
        if (v < min || v > max) {
            throw new InvalidInputException("query parameter '" + field + "' was " + v + " but it must be from " + min + " to " + max);
        }
        return v;
    }

    /** Checks the admin bearer token in constant time, as the admin API does. */
    private void authenticate(ServerRequest req) {
        Optional<String> token = context.config().adminToken();
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ConsoleJson.AuthException(401, "the audit log needs the admin token: an 'Authorization: Bearer <token>' header");
        }
        byte[] given = header.get().substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (token.isEmpty() || !MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8))) {
            throw new ConsoleJson.AuthException(403, token.isEmpty() ? "the audit log is closed: no admin token is configured"
                    : "the bearer token is not valid for the audit log");
        }
    }

    private ModelRegistry registry() {
        return engine.registry();
    }
}
