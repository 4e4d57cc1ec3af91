package dev.ferry.online;

import dev.ferry.InvalidInputException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One write to the online store: for one entity, some features (not necessarily all of the
 * view's) and their values at one event time. Values must be canonical Ferry values (see
 * {@link ValueCodec}); a null value is stored as "known missing". The event time is kept to the
 * microsecond, the precision every store persists.
 */
public record OnlineRecord(EntityKey key, Map<String, Object> values, Instant eventTime) {

    public OnlineRecord {
        if (key == null) {
            throw new InvalidInputException("record key was null but it must be an entity key");
        }
        if (eventTime == null) {
            throw new InvalidInputException("record eventTime for entity " + key + " was null but it must be an instant");
        }
        if (values == null || values.isEmpty()) {
            throw new InvalidInputException("record values for entity " + key + " were empty but they must name at least one feature");
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            OnlineStore.checkFeature(e.getKey());
            ValueCodec.checkSupported(e.getKey(), e.getValue());
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        eventTime = eventTime.truncatedTo(ChronoUnit.MICROS);
    }
}
