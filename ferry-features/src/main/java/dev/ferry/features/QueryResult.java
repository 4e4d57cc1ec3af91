package dev.ferry.features;

import dev.ferry.types.Row;
import java.util.List;

/**
 * The rows of an ad-hoc SQL query over the offline store. Timestamps are {@link java.time.Instant}
 * (UTC), arrays are lists; {@code truncated} says the row limit cut the result short.
 */
public record QueryResult(List<String> columns, List<Row> rows, boolean truncated) {

    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
