package dev.ferry.monitoring.outcome;

import java.util.Map;

/**
 * One raw record of an outcome source before validation: where it came from (for rejections) and
 * its fields by name; {@code values} is null when the record could not even be decoded, and
 * {@code problem} then says why.
 */
public record SourceRow(String position, Map<String, Object> values, String problem) {

    public static SourceRow of(String position, Map<String, Object> values) {
        return new SourceRow(position, values, null);
    }

    public static SourceRow undecodable(String position, String problem) {
        return new SourceRow(position, null, problem);
    }
}
