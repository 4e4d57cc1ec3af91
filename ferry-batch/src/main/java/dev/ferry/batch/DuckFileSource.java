package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import dev.ferry.types.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Stream;

/** A Parquet or CSV file read by an in-memory DuckDB with result streaming, so rows arrive as the file is read. */
final class DuckFileSource implements TableSource {

    private final String description;
    private final String relation;

    private DuckFileSource(String description, String relation) {
        this.description = description;
        this.relation = relation;
    }

    static DuckFileSource parquet(Path file) {
        return new DuckFileSource("parquet " + check(file), "read_parquet(" + literal(file) + ")");
    }

    static DuckFileSource csv(Path file) {
        return new DuckFileSource("csv " + check(file), "read_csv(" + literal(file) + ", header = true)");
    }

    static DuckFileSource query(String sql) {
        checkSql(sql);
        return new DuckFileSource("duckdb query: " + sql, "(" + sql + ")");
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Stream<Row> open() {
        Connection conn = null;
        Statement st = null;
        try {
            conn = connect();
            st = conn.createStatement();
            ResultSet rs = st.executeQuery("SELECT * FROM " + relation);
            return JdbcRows.stream(conn, st, rs, description);
        } catch (SQLException e) {
            closeQuietly(st, conn);
            throw new InvalidInputException(description + " could not be read: " + JdbcRows.firstLine(e), e);
        }
    }

    @Override
    public OptionalLong count() {
        try (Connection conn = connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + relation)) {
            rs.next();
            return OptionalLong.of(rs.getLong(1));
        } catch (SQLException e) {
            throw new InvalidInputException(description + " could not be read: " + JdbcRows.firstLine(e), e);
        }
    }

    static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true");
        return DriverManager.getConnection("jdbc:duckdb:", p);
    }

    static void checkSql(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new InvalidInputException("query was " + (sql == null ? "null" : "blank") + " but it must be a SQL SELECT");
        }
    }

    private static Path check(Path file) {
        if (file == null) {
            throw new InvalidInputException("input file was null but it must be a path");
        }
        String name = file.toString();
        if (!name.contains("*") && !Files.isRegularFile(file)) {
            throw new InvalidInputException("input file was '" + file + "' but no such file exists");
        }
        return file;
    }

    private static String literal(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    private static void closeQuietly(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the read already failed; that failure is the one reported
                }
            }
        }
    }
}
