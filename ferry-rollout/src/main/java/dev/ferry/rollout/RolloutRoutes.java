package dev.ferry.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import dev.ferry.server.ServerContext;
import io.helidon.http.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * The open, read-only {@code GET /v1/rollouts} (every rollout as {@link RolloutJson#view} shows
 * it, for the web console and dashboards), and the rollout admin API:
 * {@code GET /v1/admin/rollouts}, {@code GET /v1/admin/rollouts/{id}},
 * {@code POST /v1/admin/rollouts} (a plan) and {@code POST /v1/admin/rollouts/{id}/pause},
 * {@code resume}, {@code promote}, {@code abort}. The bearer token, the error mapping and the
 * audit of every command come from the server's admin API.
 */
final class RolloutRoutes {

    private static final String BASE = "/v1/admin/rollouts";

    private final RolloutEngine engine;
    private final Clock clock;

    RolloutRoutes(RolloutEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    void register(ServerContext ctx) {
        ctx.routing().get("/v1/rollouts", (req, res) -> {
            ObjectNode o = RolloutJson.JSON.createObjectNode();
            int status = 200;
            try {
                Instant now = clock.instant();
                o.put("now", now.toString());
                ArrayNode a = o.putArray("rollouts");
                engine.list().forEach(s -> a.add(RolloutJson.view(s, now)));
            } catch (FerryException e) {
                status = e.kind().httpStatus();
                o.removeAll();
                o.put("error", e.getMessage());
                o.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
            }
            res.status(status);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(o.toString().getBytes(StandardCharsets.UTF_8));
        });
        ctx.adminGet(BASE, call -> {
            ObjectNode o = RolloutJson.JSON.createObjectNode();
            ArrayNode a = o.putArray("rollouts");
            engine.list().forEach(s -> a.add(RolloutJson.write(s)));
            return o;
        });
        ctx.adminGet(BASE + "/{id}", call -> RolloutJson.write(engine.status(call.path().get("id"))));
        ctx.adminPost(BASE, "rollout_start", null, call -> RolloutJson.write(engine.start(RolloutJson.parsePlan(call.body()),
                call.actor())));
        ctx.adminPost(BASE + "/{id}/pause", "rollout_pause", "id", call -> {
            noBody(call.body());
            return RolloutJson.write(engine.pause(call.path().get("id"), call.actor()));
        });
        ctx.adminPost(BASE + "/{id}/resume", "rollout_resume", "id", call -> {
            noBody(call.body());
            return RolloutJson.write(engine.resume(call.path().get("id"), call.actor()));
        });
        ctx.adminPost(BASE + "/{id}/promote", "rollout_promote", "id", call -> {
            noBody(call.body());
            return RolloutJson.write(engine.promote(call.path().get("id"), call.actor()));
        });
        ctx.adminPost(BASE + "/{id}/abort", "rollout_abort", "id", call -> {
            noBody(call.body());
            return RolloutJson.write(engine.abort(call.path().get("id"), call.actor()));
        });
    }

    private static void noBody(JsonNode body) {
        if (body.size() > 0) {
            throw new InvalidInputException("field '" + body.fieldNames().next() + "' is not known; this command takes no fields");
        }
    }
}
