package dev.ferry.server;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.monitoring.watch.DeploymentMonitor;
import dev.ferry.serving.ServingEngine;
import io.helidon.webserver.http.HttpRouting;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only monitoring API: {@code GET /v1/monitoring/deployments/{name}} answers what the
 * {@link DeploymentMonitor} knows of a deployment (latest window's per-feature drift, types and
 * quality, skew, firing alerts); {@code ?window=current} also judges the open window now.
 */
final class MonitoringRoutes {

    private final ServingEngine engine;
    private final Http http;
    private final Optional<DeploymentMonitor> monitor;

    MonitoringRoutes(ServingEngine engine, Http http, Optional<DeploymentMonitor> monitor) {
        this.engine = engine;
        this.http = http;
        this.monitor = monitor;
    }

    void register(HttpRouting.Builder r) {
        r.get("/v1/monitoring/deployments/{name}", http.handler("monitoring", (req, res) -> {
            String name = req.path().pathParameters().get("name");
            String window = req.query().contains("window") ? req.query().get("window") : "closed";
            if (!window.equals("closed") && !window.equals("current")) {
                throw new InvalidInputException("query parameter 'window' was '" + window + "' but it must be closed or current");
            }
            DeploymentMonitor m = monitor.orElseThrow(() -> new NotFoundException(
                    "monitoring is off on this server; set monitoring.enabled: true (or FERRY_MONITORING_ENABLED=true)"));
            Optional<Map<String, Object>> status = m.status(name, window.equals("current"));
            if (status.isPresent()) {
                Http.ok(res, status.get());
                return;
            }
            if (engine.deployments().stream().noneMatch(s -> s.name().equals(name))) {
                throw new NotFoundException("deployment '" + name + "' does not exist");
            }
            Map<String, Object> empty = new LinkedHashMap<>();
            empty.put("deployment", name);
            empty.put("groups", List.of());
            empty.put("alerts", List.of());
            Http.ok(res, empty);
        }));
    }
}
