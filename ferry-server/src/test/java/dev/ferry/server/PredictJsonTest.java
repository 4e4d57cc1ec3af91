package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.CapacityException;
import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictRequest;
import dev.ferry.serving.Prediction;
import dev.ferry.types.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader of {@code /v1/predict} bodies against the tree-based reading it replaced
 * (Jackson's {@code readTree} and {@link JsonValues}): the same requests, or a refusal of the same
 * kind naming the same field.
 */
class PredictJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"entity\": {\"user_id\": \"u1\"}}",
        "{\"request_id\": \"r-1\", \"entity\": {\"user_id\": 7}, \"features\": {\"x1\": 1.5, \"x2\": null, \"x3\": true}}",
        "{\"request_id\": 12, \"entity\": {\"a\": 1, \"b\": 12345678901, \"c\": 123456789012345678901234567890}}",
        "{\"entity\": {\"user_id\": \"u\"}, \"features\": {\"x1\": 1e999, \"v\": [1, 2.5, \"s\", [3]], \"o\": {\"k\": {\"z\": 1}}}}",
        "{\"entity\": null, \"features\": null}",
        "{}",
        "{\"entity\": {\"user_id\": \"u\"}, \"entity\": {\"user_id\": \"v\"}}",
        "{\"requests\": [{\"entity\": {\"user_id\": \"u1\"}}, {\"request_id\": \"x\", \"entity\": {\"user_id\": 2}, \"features\": {\"f\": -0.0}}]}",
        "{\"entity\": []}",
        "{\"entity\": \"u\"}",
        "{\"features\": 3}",
        "{\"request_id\": {}, \"entity\": {}}",
        "{\"request_id\": [1]}",
        "{\"request_id\": true}",
        "{\"entity\": {\"user_id\": \"u\"}, \"surprise\": 1, \"other\": 2}",
        "{\"requests\": {}}",
        "{\"requests\": null}",
        "{\"requests\": []}",
        "{\"requests\": [1, 2]}",
        "{\"requests\": [{\"entity\": {}}, null]}",
        "{\"requests\": [{\"entity\": {}, \"nope\": 1}]}",
        "{\"requests\": [{\"entity\": []}]}",
        "{\"requests\": [{}], \"entity\": {}}",
        "{\"requests\": [{}, {}, {}, {}]}",
        "[]", "null", "42", "\"text\"", "{", "not json", "{} {}", "{\"entity\": {\"a\": }}", "{\"a\" 1}"
    })
    void readsAsTheTreeBasedReaderDid(String body) {
        Object expected = treeRead(body, 3);
        Object actual;
        try {
            actual = PredictJson.read(body.getBytes(StandardCharsets.UTF_8), 3);
        } catch (FerryException e) {
            actual = e;
        }
        if (expected instanceof FerryException want) {
            FerryException got = assertInstanceOf(FerryException.class, actual, "should refuse " + body);
            assertEquals(want.kind(), got.kind(), body);
            if (!want.getMessage().startsWith("request body is not valid JSON")) {
                assertEquals(want.getMessage(), got.getMessage(), body);
            } else {
                assertTrue(got.getMessage().startsWith("request body is not valid JSON"), got.getMessage());
            }
        } else {
            assertEquals(expected, actual, body);
        }
    }

    @Test
    void writesWhatTheTreeWriterWrote() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("probability", 0.25);
        out.put("scores", new float[] {0.5f, 1.5f});
        out.put("label", "yes \"quoted\"");
        out.put("missing", null);
        Prediction p = new Prediction("r-1", "ctr", "stable", "ctr-gbdt", 3, new Row(out), AnswerSource.MODEL, false);
        com.fasterxml.jackson.databind.node.ObjectNode tree = Http.JSON.createObjectNode();
        tree.put("request_id", p.requestId());
        tree.put("deployment", p.deployment());
        tree.put("arm", p.arm());
        tree.put("model", p.model());
        tree.put("version", p.version());
        tree.set("output", Http.JSON.valueToTree(p.output().values()));
        tree.put("source", "model");
        tree.put("degraded", p.degraded());
        assertEquals(Http.JSON.writeValueAsString(tree),
                new String(PredictJson.answer(List.of(p), false), StandardCharsets.UTF_8));
        com.fasterxml.jackson.databind.node.ObjectNode batch = Http.JSON.createObjectNode();
        batch.putArray("predictions").add(tree).add(tree);
        assertEquals(Http.JSON.writeValueAsString(batch),
                new String(PredictJson.answer(List.of(p, p), true), StandardCharsets.UTF_8));
    }

    @Test
    void aBatchOverTheLimitIsRefusedWithItsSize() {
        CapacityException e = assertThrows(CapacityException.class,
                () -> PredictJson.read("{\"requests\": [{}, {}]}".getBytes(StandardCharsets.UTF_8), 1));
        assertEquals("field 'requests' has 2 entries but at most 1 are allowed", e.getMessage());
    }

    /** The reading {@code PredictRoutes} did before the streaming reader, kept here as the reference. */
    private static Object treeRead(String text, int maxBatch) {
        try {
            JsonNode body;
            try {
                body = Http.JSON.readTree(text);
            } catch (java.io.IOException e) {
                throw new InvalidInputException("request body is not valid JSON: " + e.getMessage());
            }
            if (body == null || !body.isObject()) {
                throw new InvalidInputException("request body must be a JSON object");
            }
            if (body.has("requests")) {
                JsonValues.allowOnly("", body, "requests");
                JsonNode list = JsonValues.array("", body, "requests");
                if (list.size() > maxBatch) {
                    throw new CapacityException("field 'requests' has " + list.size() + " entries but at most " + maxBatch + " are allowed");
                }
                if (list.isEmpty()) {
                    throw new InvalidInputException("field 'requests' is empty but a batch needs at least one request");
                }
                List<PredictRequest> batch = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    batch.add(request("requests[" + i + "]", JsonValues.object("requests[" + i + "]", list.get(i))));
                }
                return new PredictJson.Body(batch, true);
            }
            return new PredictJson.Body(List.of(request("", body)), false);
        } catch (FerryException e) {
            return e;
        }
    }

    private static PredictRequest request(String field, JsonNode n) {
        JsonValues.allowOnly(field, n, "request_id", "entity", "features");
        return new PredictRequest(JsonValues.optText(field, n, "request_id"), JsonValues.map(field, n, "entity"),
                JsonValues.map(field, n, "features"));
    }
}
