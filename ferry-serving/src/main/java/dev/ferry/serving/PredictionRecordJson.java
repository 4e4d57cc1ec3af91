package dev.ferry.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    /** The record as UTF-8 JSON bytes, without a line break. */
    public static byte[] toBytes(PredictionRecord r) throws JsonProcessingException {
        return JSON.writeValueAsBytes(toMap(r));
    }
}
