package dev.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.CapacityException;
import dev.ferry.InvalidInputException;
import dev.ferry.serving.PredictRequest;
import dev.ferry.serving.Prediction;
import dev.ferry.serving.RankRequest;
import dev.ferry.serving.Ranking;
import dev.ferry.serving.ServingEngine;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry's own request API: {@code POST /v1/predict/{deployment}} (one request, or a batch under
 * {@code requests}) and {@code POST /v1/rank/{deployment}}. Callers send entity keys and
 * request-time features; the engine fetches the rest.
 */
final class PredictRoutes {

    private final ServingEngine engine;
    private final Http http;
    private final int maxBatch;

    PredictRoutes(ServingEngine engine, Http http, int maxBatch) {
        this.engine = engine;
        this.http = http;
        this.maxBatch = maxBatch;
    }

    void register(HttpRouting.Builder r) {
        r.post("/v1/predict/{deployment}", http.handler("predict", this::predict));
        r.post("/v1/rank/{deployment}", http.handler("rank", this::rank));
    }

    private void predict(ServerRequest req, ServerResponse res) {
        String deployment = req.path().pathParameters().get("deployment");
        JsonNode body = http.body(req);
        if (body.has("requests")) {
            JsonValues.allowOnly("", body, "requests");
            JsonNode list = JsonValues.array("", body, "requests");
            if (list.size() > maxBatch) {
                throw new CapacityException("field 'requests' has " + list.size() + " entries but at most " + maxBatch + " are allowed");
            }
            if (list.isEmpty()) {
                throw new InvalidInputException("field 'requests' is empty but a batch needs at least one request");
            }
            List<PredictRequest> batch = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                batch.add(request("requests[" + i + "]", JsonValues.object("requests[" + i + "]", list.get(i))));
            }
            ObjectNode o = Http.JSON.createObjectNode();
            ArrayNode out = o.putArray("predictions");
            engine.predictBatch(deployment, batch).forEach(p -> out.add(write(p)));
            Http.ok(res, o);
        } else {
            Http.ok(res, write(engine.predict(deployment, request("", body))));
        }
    }

    private static PredictRequest request(String field, JsonNode n) {
        JsonValues.allowOnly(field, n, "request_id", "entity", "features");
        return new PredictRequest(JsonValues.optText(field, n, "request_id"), JsonValues.map(field, n, "entity"),
                JsonValues.map(field, n, "features"));
    }

    static ObjectNode write(Prediction p) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("request_id", p.requestId());
        o.put("deployment", p.deployment());
        o.put("arm", p.arm());
        o.put("model", p.model());
        o.put("version", p.version());
        o.set("output", Http.JSON.valueToTree(p.output().values()));
        o.put("source", p.source().name().toLowerCase(java.util.Locale.ROOT));
        o.put("degraded", p.degraded());
        return o;
    }

    private void rank(ServerRequest req, ServerResponse res) {
        String deployment = req.path().pathParameters().get("deployment");
        JsonNode body = http.body(req);
        JsonValues.allowOnly("", body, "request_id", "entity", "candidate_key", "candidates", "features", "k");
        JsonNode cands = JsonValues.array("", body, "candidates");
        if (cands.size() > RankRequest.MAX_CANDIDATES) {
            throw new CapacityException("field 'candidates' has " + cands.size() + " entries but at most "
                    + RankRequest.MAX_CANDIDATES + " are allowed");
        }
        List<String> ids = new ArrayList<>(cands.size());
        for (int i = 0; i < cands.size(); i++) {
            JsonNode c = cands.get(i);
            if (!c.isTextual() && !c.isIntegralNumber()) {
                throw new InvalidInputException("field 'candidates[" + i + "]' must be a string or integer id but was " + c);
            }
            ids.add(c.asText());
        }
        RankRequest rr = new RankRequest(JsonValues.optText("", body, "request_id"), JsonValues.map("", body, "entity"),
                JsonValues.text("", body, "candidate_key"), ids, JsonValues.map("", body, "features"),
                JsonValues.integer("", body, "k", 10));
        Ranking r = engine.rank(deployment, rr);
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("request_id", r.requestId());
        o.put("deployment", r.deployment());
        o.put("arm", r.arm());
        o.put("model", r.model());
        o.put("version", r.version());
        o.put("degraded", r.degraded());
        ArrayNode items = o.putArray("items");
        r.items().forEach(s -> items.addObject().put("id", s.id()).put("score", s.score()));
        Http.ok(res, o);
    }
}
