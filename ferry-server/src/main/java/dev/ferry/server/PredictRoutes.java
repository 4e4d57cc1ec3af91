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
        PredictJson.Body body = PredictJson.read(http.bytes(req), maxBatch);
        List<Prediction> answers = body.batch()
                ? engine.predictBatch(deployment, body.requests())
                : List.of(engine.predict(deployment, body.requests().get(0)));
        Http.sendJson(res, 200, PredictJson.answer(answers, body.batch()));
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
