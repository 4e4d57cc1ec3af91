package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.types.Row;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes scored rows to one Parquet file through DuckDB: rows are appended to a table in a
 * temporary on-disk DuckDB database beside the target (so memory stays bounded), copied to a
 * temporary Parquet file on commit, and moved over the target atomically, so a reader sees the
 * old file or the complete new one. Array outputs (class probabilities) become one column per
 * element, {@code name_0}, {@code name_1}, ...
 */
public final class ParquetSink implements ResultSink {

    private final Path target;
    private final List<String> keyColumns;
    private final Path database;
    private Connection conn;
    private DuckDBAppender appender;
    private List<String> columns;
    private long rows;
    private boolean committed;

    private ParquetSink(Path target, List<String> keyColumns) {
        this.target = target.toAbsolutePath();
        this.keyColumns = List.copyOf(keyColumns);
        this.database = this.target.resolveSibling("." + this.target.getFileName() + "." + UUID.randomUUID() + ".duckdb");
    }

    /** A sink writing {@code target}; with no rows at all the file has only the key columns. */
    public static ParquetSink to(Path target, List<String> keyColumns) {
        if (target == null) {
            throw new InvalidInputException("output file was null but it must be a path ending in .parquet");
        }
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new InvalidInputException("output directory '" + parent + "' could not be created: " + e.getMessage(), e);
        }
        return new ParquetSink(target, keyColumns);
    }

    @Override
    public void write(List<Row> batch) {
        try {
            for (Row r : batch) {
                if (appender == null) {
                    create(r);
                }
                appender.beginRow();
                for (String c : columns) {
                    append(c, r.values().get(c));
                }
                appender.endRow();
                rows++;
            }
        } catch (SQLException e) {
            throw new UnavailableException("results could not be written to " + database + ": " + JdbcRows.firstLine(e), e);
        }
    }

    private void create(Row first) throws SQLException {
        conn = DriverManager.getConnection("jdbc:duckdb:" + database);
        columns = new ArrayList<>(first.values().keySet());
        List<String> defs = new ArrayList<>();
        for (Map.Entry<String, Object> e : first.values().entrySet()) {
            Object v = e.getValue();
            if (v != null && v.getClass().isArray()) {
                String type = sqlType(v.getClass().getComponentType());
                for (int i = 0; i < Array.getLength(v); i++) {
                    defs.add(id(e.getKey() + "_" + i) + " " + type);
                }
            } else {
                defs.add(id(e.getKey()) + " " + (v == null ? "VARCHAR" : sqlType(v.getClass())));
            }
        }
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE results (" + String.join(", ", defs) + ")");
        }
        appender = conn.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "results");
    }

    private void append(String column, Object v) throws SQLException {
        switch (v) {
            case null -> appender.appendNull();
            case Boolean b -> appender.append(b);
            case Integer i -> appender.append(i);
            case Long l -> appender.append(l);
            case Float f -> appender.append(f);
            case Double d -> appender.append(d);
            case String s -> appender.append(s);
            case Instant t -> appender.append(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
            case float[] a -> {
                for (float x : a) {
                    appender.append(x);
                }
            }
            case double[] a -> {
                for (double x : a) {
                    appender.append(x);
                }
            }
            case int[] a -> {
                for (int x : a) {
                    appender.append(x);
                }
            }
            case long[] a -> {
                for (long x : a) {
                    appender.append(x);
                }
            }
            default -> appender.append(v.toString());
        }
    }

    private static String sqlType(Class<?> c) {
        if (c == Boolean.class || c == boolean.class) {
            return "BOOLEAN";
        }
        if (c == Integer.class || c == int.class) {
            return "INTEGER";
        }
        if (c == Long.class || c == long.class) {
            return "BIGINT";
        }
        if (c == Float.class || c == float.class) {
            return "FLOAT";
        }
        if (c == Double.class || c == double.class) {
            return "DOUBLE";
        }
        if (c == Instant.class) {
            return "TIMESTAMP";
        }
        return "VARCHAR";
    }

    private static String id(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void commit() {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            if (conn == null) {
                conn = DriverManager.getConnection("jdbc:duckdb:" + database);
                String defs = keyColumns.isEmpty() ? "\"row\" BIGINT"
                        : String.join(", ", keyColumns.stream().map(k -> id(k) + " VARCHAR").toList());
                try (Statement s = conn.createStatement()) {
                    s.execute("CREATE TABLE results (" + defs + ")");
                }
            } else {
                appender.close();
                appender = null;
            }
            try (Statement s = conn.createStatement()) {
                s.execute("COPY results TO '" + temp.toString().replace("'", "''") + "' (FORMAT parquet, COMPRESSION zstd)");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
        } catch (SQLException | IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write failed; that failure is the one reported
            }
            throw new UnavailableException("results could not be written to " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "parquet " + target + (committed ? " (" + rows + " rows)" : "");
    }

    @Override
    public void close() {
        try {
            if (appender != null) {
                appender.close();
            }
            if (conn != null) {
                conn.close();
            }
        } catch (SQLException e) {
            throw new UnavailableException("the temporary results database " + database + " could not be closed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(database);
                Files.deleteIfExists(database.resolveSibling(database.getFileName() + ".wal"));
            } catch (IOException ignored) {
                // a leftover temporary file is harmless; its name is unique
            }
        }
    }
}
