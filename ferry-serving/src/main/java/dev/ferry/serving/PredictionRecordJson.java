package dev.ferry.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of a {@link PredictionRecord}, one object carrying {@code "format"}
 * ({@link PredictionRecord#FORMAT_VERSION}): the line {@link RollingFilePredictionLog} writes and
 * the message a streaming sink sends, so every JSON consumer of the log reads one layout.
 */
public final class PredictionRecordJson {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private PredictionRecordJson() {
    }

    /** The record as an ordered map, ready for any JSON writer. */
    public static Map<String, Object> toMap(PredictionRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", PredictionRecord.FORMAT_VERSION);
        m.put("request_id", r.requestId());
        m.put("at", r.at().toString());
        m.put("deployment", r.deployment());
        m.put("arm", r.arm());
        m.put("model", r.model());
        m.put("version", r.version());
        m.put("shadow", r.shadow());
        m.put("source", r.source().name().toLowerCase(Locale.ROOT));
        m.put("degraded", r.degraded());
        m.put("entity", r.entity());
        m.put("features", r.features() == null ? null : r.features().values());
        m.put("output", r.output() == null ? null : r.output().values());
        return m;
    }

    /**
     * The record as UTF-8 JSON bytes, without a line break: the bytes {@link #toMap} gives through
     * any JSON mapper, written field by field with a streaming generator (the log writer does this
     * for every prediction, and the intermediate map cost more than the writing).
     */
    public static byte[] toBytes(PredictionRecord r) throws JsonProcessingException {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", PredictionRecord.FORMAT_VERSION);
            g.writeStringField("request_id", r.requestId());
            g.writeStringField("at", r.at() == null ? null : r.at().toString());
            g.writeStringField("deployment", r.deployment());
            g.writeStringField("arm", r.arm());
            g.writeStringField("model", r.model());
            g.writeNumberField("version", r.version());
            g.writeBooleanField("shadow", r.shadow());
            g.writeStringField("source", r.source() == null ? null : r.source().name().toLowerCase(Locale.ROOT));
            g.writeBooleanField("degraded", r.degraded());
            g.writeFieldName("entity");
            writeMap(g, r.entity());
            g.writeFieldName("features");
            writeMap(g, r.features() == null ? null : r.features().values());
            g.writeFieldName("output");
            writeMap(g, r.output() == null ? null : r.output().values());
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw e;
        } catch (java.io.IOException e) {
            // a ByteArrayBuilder does no I/O; only the generator's own checks can end up here
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeMap(JsonGenerator g, Map<String, Object> m) throws java.io.IOException {
        if (m == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    /**
     * Writes one feature or output value as Jackson's mapper writes it: scalars directly (no
     * serializer lookup per value), arrays, lists and nested maps through the generator's mapper.
     * Shared by every streaming JSON writer of served values, so they all write one form.
     */
    public static void writeValue(JsonGenerator g, Object value) throws java.io.IOException {
        switch (value) {
            case null -> g.writeNull();
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            default -> g.writeObject(value);
        }
    }
}
