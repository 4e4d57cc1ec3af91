package dev.ferry.batch;

import dev.ferry.features.OfflineStore;
import dev.ferry.types.Row;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A table to score, read as a stream of rows so memory does not grow with its size: a Parquet or
 * CSV file (read by DuckDB with result streaming), a SQL query over the offline store's views, a
 * PostgreSQL table (read through a server-side cursor), or any stream a caller supplies.
 */
public interface TableSource {

    /** Where the rows come from, for messages and run records. */
    String describe();

    /** Opens a fresh stream of the table's rows; the caller closes it. */
    Stream<Row> open();

    /** The number of rows when it is cheap to know ahead (for a progress bar); empty otherwise. */
    default OptionalLong count() {
        return OptionalLong.empty();
    }

    /** A Parquet file (or a glob such as {@code dir/*.parquet}). */
    static TableSource parquet(Path file) {
        return DuckFileSource.parquet(file);
    }

    /** A CSV file with a header line; column types are detected by DuckDB. */
    static TableSource csv(Path file) {
        return DuckFileSource.csv(file);
    }

    /**
     * A DuckDB SELECT over files, e.g. {@code SELECT row_number() OVER () AS id, * FROM 'flights.parquet'},
     * streamed like a file.
     */
    static TableSource duckdb(String sql) {
        return DuckFileSource.query(sql);
    }

    /** A SQL query in which every registered feature view is a table (see {@link OfflineStore#sql}). */
    static TableSource offline(OfflineStore store, String sql) {
        Objects.requireNonNull(store, "store");
        DuckFileSource.checkSql(sql);
        return of("offline store query: " + sql, () -> store.stream(sql));
    }

    /** A PostgreSQL table ({@code schema.table} or {@code table}), streamed through a cursor. */
    static TableSource postgres(String jdbcUrl, String user, String password, String table) {
        return new PostgresSource(jdbcUrl, user, password, table);
    }

    /** Rows from {@code rows}, which must give a fresh stream on each call. */
    static TableSource of(String description, Supplier<Stream<Row>> rows) {
        Objects.requireNonNull(rows, "rows");
        return new TableSource() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public Stream<Row> open() {
                return rows.get();
            }
        };
    }
}
