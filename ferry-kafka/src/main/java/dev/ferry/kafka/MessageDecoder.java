package dev.ferry.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.FerryException;
import dev.ferry.features.JoinKey;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineRecord;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one JSON message into an online record of a view, or a {@link Rejection}. A message is
 * one JSON object with every join key, the event time (ISO-8601 with a zone or offset, or epoch
 * milliseconds) and every feature of the view (null only where the feature is nullable), each
 * strictly typed by {@link FeatureType#coerce}. Unknown fields are ignored, so producers may add
 * fields before the view declares them.
 */
final class MessageDecoder {

    /** The outcome for one message. */
    sealed interface Decoded permits Accepted, Rejected {
    }

    /** A valid message: the record to upsert online and the same values for the offline log. */
    record Accepted(OnlineRecord record, Map<String, Object> keys) implements Decoded {
    }

    record Rejected(Rejection rejection) implements Decoded {
    }

    static final String MISSING = "(missing)";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private MessageDecoder() {
    }

    static Decoded decode(ViewTarget target, byte[] value) {
        if (value == null) {
            return reject("$", "null", "a JSON object", "message had no value (a tombstone); expected a JSON object");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            String text = new String(value, StandardCharsets.UTF_8);
            return reject("$", clip(text), "a JSON object", "message is not valid JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            return reject("$", root == null ? "" : clip(root.toString()), "a JSON object",
                    "message was " + (root == null ? "empty" : "a JSON " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                            + " but it must be a JSON object");
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        List<Object> keyValues = new ArrayList<>();
        for (JoinKey k : target.keys()) {
            FeatureType type = FeatureType.of(k.type());
            JsonNode n = root.get(k.name());
            if (n == null || n.isNull()) {
                return reject(k.name(), n == null ? MISSING : "null", type.toString(), "join key '" + k.name() + "' was "
                        + (n == null ? "missing" : "null") + " but every message must carry it, of type " + type);
            }
            try {
                Object v = type.coerce(k.name(), java(n));
                keys.put(k.name(), v);
                keyValues.add(v);
            } catch (FerryException e) {
                return reject(k.name(), clip(n.toString()), type.toString(), e.getMessage());
            }
        }
        EntityKey key;
        try {
            key = EntityKey.of(keyValues);
        } catch (FerryException e) {
            return reject(target.keys().getFirst().name(), clip(keyValues.toString()), "string or integer join keys", e.getMessage());
        }
        String tsName = target.view().eventTimeColumn();
        JsonNode tsNode = root.get(tsName);
        Instant eventTime;
        try {
            eventTime = eventTime(tsNode);
        } catch (IllegalArgumentException e) {
            return reject(tsName, tsNode == null ? MISSING : clip(tsNode.toString()), "timestamp",
                    "event time '" + tsName + "' " + e.getMessage());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : target.view().schema().fields()) {
            JsonNode n = root.get(f.name());
            if (n == null) {
                return reject(f.name(), MISSING, f.type().toString(), "feature '" + f.name() + "' was missing but every message must carry"
                        + " every feature of view " + target.onlineName() + " (null if unknown and the feature is nullable)");
            }
            try {
                values.put(f.name(), f.coerce(n.isNull() ? null : java(n)));
            } catch (FerryException e) {
                return reject(f.name(), clip(n.toString()), f.type() + (f.nullable() ? "" : " (required)"), e.getMessage());
            }
        }
        try {
            return new Accepted(new OnlineRecord(key, values, eventTime), keys);
        } catch (FerryException e) {
            return reject("$", clip(root.toString()), "a valid record", e.getMessage());
        }
    }

    private static Object java(JsonNode n) {
        try {
            return JSON.treeToValue(n, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON node could not be converted: " + e.getMessage(), e);
        }
    }

    private static Instant eventTime(JsonNode n) {
        if (n == null) {
            throw new IllegalArgumentException("was missing but every message must carry it");
        }
        if (n.isIntegralNumber()) {
            return Instant.ofEpochMilli(n.asLong());
        }
        if (n.isTextual()) {
            try {
                return OffsetDateTime.parse(n.asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("was '" + clip(n.asText())
                        + "' but it must be ISO-8601 with a zone, like 2025-01-31T12:00:00Z, or epoch milliseconds");
            }
        }
        throw new IllegalArgumentException("was " + clip(n.toString()) + " of JSON type " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + " but it must be an ISO-8601 string with a zone or an integer of epoch milliseconds");
    }

    private static Decoded reject(String field, String value, String expected, String reason) {
        return new Rejected(new Rejection(field, value, expected, reason));
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static String firstLine(IOException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
