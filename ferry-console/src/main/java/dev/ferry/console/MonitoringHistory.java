package dev.ferry.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.server.ServerContext;
import dev.ferry.serving.DeploymentSpec;
import io.helidon.webserver.http.HttpRouting;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last closed monitoring windows of every (deployment, model, version, arm), sampled from the
 * live monitor, for the Monitoring page's drift-over-time charts. The monitor keeps only the
 * latest closed window of a group (its state is what the alert rules and gauges need); the
 * console keeps a short ring of them itself, as it does for traffic, so that history costs
 * nothing where no console runs and the monitor stays as it is. Served as the open, read-only
 * {@code GET /console/api/monitoring/history?deployment=<name>}.
 */
final class MonitoringHistory {

    /** The default number of closed windows kept per group. */
    static final int DEFAULT_WINDOWS = 48;

    private record Group(String deployment, String model, int version, String arm) {
    }

    private final ServerContext context;
    private final int capacity;
    private final Map<Group, ArrayDeque<ObjectNode>> rings = new LinkedHashMap<>();

    MonitoringHistory(ServerContext context, int capacity) {
        this.context = context;
        this.capacity = capacity;
    }

    /** Reads the monitor's latest closed window of every group and keeps it when it is a new one. */
    void sample() {
        if (!context.monitoringEnabled()) {
            return;
        }
        for (DeploymentSpec spec : context.engine().deployments()) {
            Optional<Map<String, Object>> status = context.monitoringStatus(spec.name());
            if (status.isEmpty()) {
                continue;
            }
            JsonNode groups = ConsoleJson.JSON.valueToTree(status.get()).path("groups");
            for (JsonNode g : groups) {
                JsonNode latest = g.path("latest_window");
                if (!latest.isObject()) {
                    continue;
                }
                add(new Group(spec.name(), g.path("model").asText(), g.path("version").asInt(), g.path("arm").asText()),
                        summary(latest));
            }
        }
    }

    private synchronized void add(Group group, ObjectNode window) {
        ArrayDeque<ObjectNode> ring = rings.computeIfAbsent(group, k -> new ArrayDeque<>());
        if (!ring.isEmpty() && ring.peekLast().path("end").asText().equals(window.path("end").asText())) {
            return;
        }
        ring.addLast(window);
        while (ring.size() > capacity) {
            ring.removeFirst();
        }
    }

    /** A window's drift figures only: what the charts draw. */
    private static ObjectNode summary(JsonNode w) {
        ObjectNode s = ConsoleJson.JSON.createObjectNode();
        s.put("start", w.path("start").asText());
        s.put("end", w.path("end").asText());
        s.put("records", w.path("records").asLong());
        s.set("drifted_share", w.path("drifted_share"));
        s.set("features", drifts(w.path("features")));
        s.set("predictions", drifts(w.path("predictions")));
        return s;
    }

    private static ArrayNode drifts(JsonNode list) {
        ArrayNode out = ConsoleJson.JSON.createArrayNode();
        for (JsonNode f : list) {
            ObjectNode d = out.addObject();
            d.put("feature", f.path("feature").asText());
            for (String field : List.of("method", "statistic", "threshold", "drifted")) {
                d.set(field, f.path(field).isMissingNode() ? ConsoleJson.JSON.nullNode() : f.get(field));
            }
        }
        return out;
    }

    void register(HttpRouting.Builder r) {
        r.get("/console/api/monitoring/history", ConsoleJson.handler((req, res) -> ConsoleJson.send(res, 200,
                history(req.query().contains("deployment") ? req.query().get("deployment") : null))));
    }

    private synchronized ObjectNode history(String deployment) {
        if (deployment == null || deployment.isBlank()) {
            throw new InvalidInputException("query parameter 'deployment' was missing but it must name a deployment");
        }
        List<String> names = context.engine().deployments().stream().map(DeploymentSpec::name).toList();
        if (!names.contains(deployment)) {
            throw new NotFoundException("field 'deployment': deployment '" + deployment + "' does not exist; deployments are " + names);
        }
        ObjectNode o = ConsoleJson.JSON.createObjectNode();
        o.put("deployment", deployment);
        o.put("monitoring", context.monitoringEnabled());
        o.put("capacity", capacity);
        ArrayNode groups = o.putArray("groups");
        rings.forEach((g, ring) -> {
            if (g.deployment().equals(deployment)) {
                ObjectNode n = groups.addObject();
                n.put("model", g.model());
                n.put("version", g.version());
                n.put("arm", g.arm());
                ArrayNode windows = n.putArray("windows");
                ring.forEach(windows::add);
            }
        });
        return o;
    }
}
