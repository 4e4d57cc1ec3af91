package dev.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.serving.ServingEngine;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.Map;

/**
 * What a {@link ServerExtension} may use: the engine, the configuration, the clock, admin
 * routes that share the admin API's bearer token, error mapping and audit log, and the audit
 * log itself for changes the extension makes on its own.
 */
public final class ServerContext {

    /** One authenticated admin call: who asks, the path parameters, and the JSON body (an empty object when none). */
    public record AdminCall(String actor, Map<String, String> path, JsonNode body) {
    }

    /** What an admin route does; returns the JSON response body (a record, map or Jackson node). */
    @FunctionalInterface
    public interface AdminHandler {
        Object handle(AdminCall call);
    }

    private final ServingEngine engine;
    private final ServerConfig config;
    private final Clock clock;
    private final HttpRouting.Builder routing;
    private final AdminRoutes admin;
    private final AuditLog audit;
    private final java.util.Optional<java.util.function.Function<String, java.util.Optional<java.util.Map<String, Object>>>> monitoring;

    ServerContext(ServingEngine engine, ServerConfig config, Clock clock, HttpRouting.Builder routing, AdminRoutes admin,
                  AuditLog audit,
                  java.util.Optional<java.util.function.Function<String, java.util.Optional<java.util.Map<String, Object>>>> monitoring) {
        this.monitoring = monitoring;
        this.engine = engine;
        this.config = config;
        this.clock = clock;
        this.routing = routing;
        this.admin = admin;
        this.audit = audit;
    }

    public ServingEngine engine() {
        return engine;
    }

    public ServerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** The server's routing, for an extension's own open routes (read-only pages and data). */
    public HttpRouting.Builder routing() {
        return routing;
    }

    /** Whether live monitoring ({@code monitoring.enabled}) runs on this server. */
    public boolean monitoringEnabled() {
        return monitoring.isPresent();
    }

    /**
     * What the live monitor knows of a deployment now, as {@code GET /v1/monitoring/deployments/{name}}
     * answers it (plain maps and lists, so an extension needs no monitoring types); empty when
     * monitoring is off or the monitor has seen nothing of the deployment yet.
     */
    public java.util.Optional<java.util.Map<String, Object>> monitoringStatus(String deployment) {
        return monitoring.flatMap(f -> f.apply(deployment));
    }

    /** The admin audit log file (JSON Lines, one change a line; may not exist yet). */
    public java.nio.file.Path auditLog() {
        return audit.file();
    }

    /** A read-only admin route ({@code GET}); needs the bearer token, is not audited. */
    public void adminGet(String path, AdminHandler handler) {
        routing.get(path, admin.extension(null, handler));
    }

    /**
     * A changing admin route ({@code POST}); needs the bearer token, and every call, accepted or
     * refused, is written to the audit log as {@code action} on the path parameter {@code target}.
     */
    public void adminPost(String path, String action, String target, AdminHandler handler) {
        routing.post(path, admin.extension(new AdminRoutes.Audited(action, target), handler));
    }

    /** Writes one line to the admin audit log, for changes the extension makes by itself. */
    public void audit(String actor, String action, String target, Object details, String outcome) {
        audit.write(actor, action, target, details, outcome);
    }
}
