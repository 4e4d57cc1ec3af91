package dev.ferry.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.online.FeatureStatus;
import dev.ferry.online.FeatureValue;
import dev.ferry.serving.OnlineFeatures;
import dev.ferry.serving.PredictionRecordJson;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Online feature reads over HTTP in the shapes of Feast's {@code /get-online-features}:
 * {@code POST /v1/features}, and the same at {@code /get-online-features} so a Feast client can
 * switch by changing the base URL.
 */
final class FeatureRoutes {

    // Pre-encoded strings: a 100 x 50 answer writes 5,000 statuses and 5,000 timestamps.
    private static final SerializedString EPOCH = new SerializedString(Instant.EPOCH.toString());
    private static final SerializedString[] STATUSES = java.util.Arrays.stream(FeatureStatus.values())
            .map(st -> new SerializedString(st.name())).toArray(SerializedString[]::new);

    private final Optional<OnlineFeatures> features;
    private final Http http;

    FeatureRoutes(Optional<OnlineFeatures> features, Http http) {
        this.features = features;
        this.http = http;
    }

    void register(HttpRouting.Builder r) {
        r.post("/v1/features", http.handler("features", this::get));
        r.post("/get-online-features", http.handler("features", this::get));
    }

    private void get(ServerRequest req, ServerResponse res) {
        JsonNode body = http.body(req);
        OnlineFeatures online = features.orElseThrow(() -> new UnavailableException(
                "no online feature store is configured on this server; start it with feature views (ferry serve --online ...)"));
        JsonValues.allowOnly("", body, "features", "feature_service", "entities", "full_feature_names");
        boolean hasList = body.has("features");
        boolean hasService = body.has("feature_service");
        if (hasList == hasService) {
            throw new InvalidInputException("field 'features' and field 'feature_service' were "
                    + (hasList ? "both given" : "both missing") + " but exactly one of them is required");
        }
        Map<String, List<Object>> entities = entities(body);
        JsonNode full = body.get("full_feature_names");
        if (full != null && !full.isNull() && !full.isBoolean()) {
            throw new InvalidInputException("field 'full_feature_names' was " + full + " but it must be true or false");
        }
        boolean fullNames = full != null && full.asBoolean(false);
        OnlineFeatures.Response r = hasService
                ? online.getService(JsonValues.text("", body, "feature_service"), entities, fullNames)
                : online.get(featureList(body), entities, fullNames);
        Http.ok(res, write(r));
    }

    private static List<String> featureList(JsonNode body) {
        JsonNode list = JsonValues.array("", body, "features");
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode f = list.get(i);
            if (!f.isTextual()) {
                throw new InvalidInputException("field 'features[" + i + "]' was " + f + " but it must be a string like 'view:feature'");
            }
            out.add(f.textValue());
        }
        return out;
    }

    private static Map<String, List<Object>> entities(JsonNode body) {
        JsonNode e = body.get("entities");
        if (e == null || !e.isObject()) {
            throw new InvalidInputException("field 'entities' was " + (e == null ? "missing" : e)
                    + " but it must be an object of join key columns, e.g. {\"driver_id\": [1001, 1002]}");
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> col : e.properties()) {
            if (!col.getValue().isArray()) {
                throw new InvalidInputException("field 'entities." + col.getKey() + "' was " + col.getValue()
                        + " but it must be an array of join key values");
            }
            List<Object> values = new ArrayList<>(col.getValue().size());
            col.getValue().forEach(v -> values.add(JsonValues.toJava(v)));
            out.put(col.getKey(), values);
        }
        return out;
    }

    /**
     * The answer as Feast writes it. Streamed straight to the generator: a response of 100
     * entities x 50 features holds 5,000 values, and building a JSON tree of them first (one
     * {@code valueToTree} per value) cost more than reading them from the store.
     */
    static JsonSerializable write(OnlineFeatures.Response r) {
        return new JsonSerializable.Base() {
            @Override
            public void serialize(JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeObjectFieldStart("metadata");
                gen.writeArrayFieldStart("feature_names");
                for (String name : r.featureNames()) {
                    gen.writeString(name);
                }
                gen.writeEndArray();
                gen.writeEndObject();
                gen.writeArrayFieldStart("results");
                Instant lastTime = null;
                SerializedString lastText = EPOCH;
                for (List<FeatureValue> row : r.rows()) {
                    gen.writeStartObject();
                    gen.writeArrayFieldStart("values");
                    for (FeatureValue v : row) {
                        PredictionRecordJson.writeValue(gen, v.value());
                    }
                    gen.writeEndArray();
                    gen.writeArrayFieldStart("statuses");
                    for (FeatureValue v : row) {
                        gen.writeString(STATUSES[v.status().ordinal()]);
                    }
                    gen.writeEndArray();
                    gen.writeArrayFieldStart("event_timestamps");
                    for (FeatureValue v : row) {
                        Instant t = v.eventTime().orElse(null);
                        if (t == null) {
                            gen.writeString(EPOCH);
                        } else {
                            if (!t.equals(lastTime)) {
                                // Features of one view share an event time: format and encode each distinct one once.
                                lastTime = t;
                                lastText = new SerializedString(t.toString());
                            }
                            gen.writeString(lastText);
                        }
                    }
                    gen.writeEndArray();
                    gen.writeEndObject();
                }
                gen.writeEndArray();
                gen.writeEndObject();
            }

            @Override
            public void serializeWithType(JsonGenerator gen, SerializerProvider provider,
                                          com.fasterxml.jackson.databind.jsontype.TypeSerializer typeSer) throws IOException {
                serialize(gen, provider);
            }
        };
    }
}
