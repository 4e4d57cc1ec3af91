package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The rows a training set is built for: each has the entity join keys and a timestamp (and may
 * carry labels and other columns, which pass through). Either a Parquet or CSV file, or a SQL
 * query over the offline store (where every view is a table by its name).
 *
 * @param file       a {@code .parquet} or {@code .csv} file, or empty
 * @param query      a DuckDB SELECT, or empty
 * @param timeColumn the column holding each row's point in time
 */
public record EntityRows(Optional<Path> file, Optional<String> query, String timeColumn) {

    public EntityRows {
        if (file.isPresent() == query.isPresent()) {
            throw new InvalidInputException("entity rows need exactly one of a file or a query");
        }
        if (timeColumn == null || timeColumn.isBlank()) {
            throw new InvalidInputException("entity rows time column was '" + timeColumn + "' but a column name is expected");
        }
    }

    public static EntityRows file(Path file) {
        return new EntityRows(Optional.of(file), Optional.empty(), "event_timestamp");
    }

    public static EntityRows query(String sql) {
        return new EntityRows(Optional.empty(), Optional.of(sql), "event_timestamp");
    }

    /** The same rows with a different time column. */
    public EntityRows timeColumn(String column) {
        return new EntityRows(file, query, column);
    }

    String describe() {
        return file.map(f -> "file:" + f.toAbsolutePath()).orElseGet(() -> "query:" + query.orElseThrow());
    }
}
