package dev.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.ServingEngine;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API under {@code /v1/admin}: deployments (create, change, weights, canary share,
 * promote, roll back, delete) and registry aliases (move, roll back; deployments following them
 * hot-swap). Every call needs {@code Authorization: Bearer <token>}; every change, accepted or
 * refused, is written to the audit log.
 */
final class AdminRoutes {

    private final ServingEngine engine;
    private final Http http;
    private final Optional<String> token;
    private final AuditLog audit;
    private final Duration defaultBudget;

    // Admin changes run on a platform thread of their own: a change writes and fsyncs the registry
    // and the audit log and may resolve and load models, blocking work that on a virtual thread
    // would hold one of the request path's carriers (two on a 2-core machine) until it ends.
    // One thread: changes are rare, and serializing them keeps the audit log in their order.
    // The thread ends when idle for a while, so a server needs no close for it.
    private final java.util.concurrent.ExecutorService adminThread = new java.util.concurrent.ThreadPoolExecutor(0, 1,
            30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
            Thread.ofPlatform().name("ferry-admin").daemon(true).factory());

    AdminRoutes(ServingEngine engine, Http http, Optional<String> token, AuditLog audit, Duration defaultBudget) {
        this.engine = engine;
        this.http = http;
        this.token = token;
        this.audit = audit;
        this.defaultBudget = defaultBudget;
    }

    /** The path target of a change and who asks for it. */
    private record Target(String name, String alias, String actor) {
    }

    /** What a change does once authenticated; returns the response body. */
    private interface Change {
        Object apply(Target target, JsonNode body);
    }

    void register(HttpRouting.Builder r) {
        r.get("/v1/admin/deployments", http.handler("admin", (req, res) -> {
            authenticate(req);
            ArrayNode a = Http.JSON.createArrayNode();
            engine.deployments().forEach(s -> a.add(describe(s)));
            Http.ok(res, Map.of("deployments", a));
        }));
        r.get("/v1/admin/deployments/{name}", http.handler("admin", (req, res) -> {
            authenticate(req);
            String name = req.path().pathParameters().get("name");
            Http.ok(res, describe(engine.deployment(name).orElseThrow(() ->
                    new dev.ferry.NotFoundException("deployment '" + name + "' does not exist"))));
        }));
        r.put("/v1/admin/deployments/{name}", change("deploy", "name", true, (t, body) -> {
            DeploymentSpec spec = DeploymentJson.parse(t.name(), body, defaultBudget);
            engine.deploy(spec);
            return describe(spec);
        }));
        r.delete("/v1/admin/deployments/{name}", change("undeploy", "name", false, (t, body) -> {
            engine.undeploy(t.name());
            return Map.of("deleted", t.name());
        }));
        r.post("/v1/admin/deployments/{name}/weights", change("weights", "name", true, (t, body) -> {
            JsonValues.allowOnly("", body, "weights");
            JsonNode w = JsonValues.object("weights", body.get("weights"));
            Map<String, Double> weights = new LinkedHashMap<>();
            w.properties().forEach(e -> {
                if (!e.getValue().isNumber()) {
                    throw new InvalidInputException("field 'weights." + e.getKey() + "' must be a number but was " + e.getValue());
                }
                weights.put(e.getKey(), e.getValue().doubleValue());
            });
            return describe(engine.setWeights(t.name(), weights));
        }));
        r.post("/v1/admin/deployments/{name}/share", change("share", "name", true, (t, body) -> {
            JsonValues.allowOnly("", body, "arm", "percent");
            return describe(engine.setShare(t.name(), JsonValues.optText("", body, "arm").orElse("canary"),
                    JsonValues.number("", body, "percent")));
        }));
        r.post("/v1/admin/deployments/{name}/promote", change("promote", "name", true, (t, body) -> {
            JsonValues.allowOnly("", body, "arm");
            return describe(engine.promote(t.name(), JsonValues.optText("", body, "arm").orElse("canary")));
        }));
        r.post("/v1/admin/deployments/{name}/rollback", change("rollback", "name", false, (t, body) ->
                describe(engine.rollback(t.name()))));
        r.post("/v1/admin/models/{model}/aliases/{alias}", change("set_alias", "model", true, (t, body) -> {
            JsonValues.allowOnly("", body, "version", "reason");
            int version = JsonValues.integer("", body, "version", -1);
            if (version < 1) {
                throw new InvalidInputException("field 'version' is missing or not a positive integer");
            }
            return Map.of("event", event(engine.registry().setAlias(t.name(), t.alias(), version, t.actor(),
                    JsonValues.optText("", body, "reason").orElse(""))), "swapped", engine.refresh());
        }));
        r.post("/v1/admin/models/{model}/aliases/{alias}/rollback", change("rollback_alias", "model", false, (t, body) ->
                Map.of("event", event(engine.registry().rollback(t.name(), t.alias(), t.actor())), "swapped", engine.refresh())));
        r.post("/v1/admin/refresh", change("refresh", null, false, (t, body) -> Map.of("swapped", engine.refresh())));
    }

    /** How an extension's changing route is audited: the action and the path parameter naming its target. */
    record Audited(String action, String param) {
    }

    /** An extension's admin route; {@code audited} is null for a read. A change's body may be empty. */
    io.helidon.webserver.http.Handler extension(Audited audited, ServerContext.AdminHandler handler) {
        return http.handler("admin", (req, res) -> {
            String actor = authenticate(req);
            Map<String, String> path = new LinkedHashMap<>();
            req.path().pathParameters().toMap().forEach((k, v) -> path.put(k, v.getFirst()));
            if (audited == null) {
                Http.ok(res, handler.handle(new ServerContext.AdminCall(actor, path, Http.JSON.createObjectNode())));
                return;
            }
            boolean hasBody = req.headers().contentLength().orElse(0L) > 0 || req.headers().contains(HeaderNames.TRANSFER_ENCODING);
            JsonNode body = hasBody ? http.body(req) : Http.JSON.createObjectNode();
            String target = path.getOrDefault(audited.param(), "");
            Http.ok(res, onAdminThread(() -> audited(actor, audited.action(), target, body,
                    () -> handler.handle(new ServerContext.AdminCall(actor, path, body)))));
        });
    }

    private io.helidon.webserver.http.Handler change(String action, String param, boolean needsBody, Change change) {
        return http.handler("admin", (req, res) -> {
            String actor = authenticate(req);
            String target = param == null ? "" : req.path().pathParameters().get(param);
            String alias = req.path().pathParameters().contains("alias") ? req.path().pathParameters().get("alias") : "";
            JsonNode body = needsBody ? http.body(req) : Http.JSON.createObjectNode();
            String fullTarget = alias.isEmpty() ? target : target + "@" + alias;
            Http.ok(res, onAdminThread(() -> audited(actor, action, fullTarget, body,
                    () -> change.apply(new Target(target, alias, actor), body))));
        });
    }

    /** Runs a change and writes its outcome to the audit log, whatever the outcome. */
    private Object audited(String actor, String action, String target, JsonNode body,
                           java.util.function.Supplier<Object> change) {
        try {
            Object result = change.get();
            audit.write(actor, action, target, body, "ok");
            return result;
        } catch (FerryException e) {
            audit.write(actor, action, target, body, "refused: " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            audit.write(actor, action, target, body, "failed: " + e);
            throw e;
        }
    }

    /** Runs {@code work} on the admin thread; the calling virtual thread waits, unmounted. */
    private <T> T onAdminThread(java.util.concurrent.Callable<T> work) {
        java.util.concurrent.Future<T> f = adminThread.submit(work);
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("admin change failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            // the change itself runs on: half a change must never be cut off; it is audited when it ends
            Thread.currentThread().interrupt();
            throw new dev.ferry.UnavailableException("interrupted while waiting for an admin change to finish");
        }
    }

    private static Map<String, Object> event(dev.ferry.registry.AliasEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", e.model());
        m.put("alias", e.alias());
        m.put("from_version", e.fromVersion());
        m.put("to_version", e.toVersion());
        m.put("actor", e.actor());
        m.put("at", e.at().toString());
        m.put("reason", e.reason());
        return m;
    }

    /** Checks the bearer token in constant time; returns the actor for the audit log. */
    private String authenticate(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Http.AuthException(401, "the admin API needs an 'Authorization: Bearer <token>' header");
        }
        String given = header.get().substring(7).trim();
        if (token.isEmpty() || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8))) {
            throw new Http.AuthException(403, token.isEmpty() ? "the admin API is disabled: no admin token is configured"
                    : "the bearer token is not valid for the admin API");
        }
        return req.headers().first(io.helidon.http.HeaderNames.create("X-Ferry-Actor")).orElse("admin");
    }

    private ObjectNode describe(DeploymentSpec spec) {
        ObjectNode o = DeploymentJson.write(spec);
        engine.deployment(spec.name()).ifPresent(s -> o.set("resolved", Http.JSON.valueToTree(engine.resolvedVersions(spec.name()))));
        return o;
    }
}
