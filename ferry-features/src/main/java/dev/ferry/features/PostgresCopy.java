package dev.ferry.features;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Copies a PostgreSQL table or query into a DuckDB temporary table over JDBC. DuckDB's postgres
 * extension would read it in place, but extensions are downloaded at run time and Ferry must work
 * offline; the copy streams rows (fetch size) so memory stays bounded by DuckDB, not the JVM.
 */
final class PostgresCopy {

    private static final int FETCH = 10_000;

    private final PostgresSource source;
    private final Connection duck;
    private final String table;

    PostgresCopy(PostgresSource source, Connection duck, String table) {
        this.source = source;
        this.duck = duck;
        this.table = table;
    }

    /** The JDBC type, except that timestamptz (reported as TIMESTAMP by the driver) keeps its zone. */
    private static int kind(ResultSetMetaData md, int col) throws SQLException {
        return "timestamptz".equalsIgnoreCase(md.getColumnTypeName(col)) ? Types.TIMESTAMP_WITH_TIMEZONE : md.getColumnType(col);
    }

    /** Column names and the DuckDB types they will have, read from the query's metadata without fetching rows. */
    static Map<String, String> describe(PostgresSource source) throws SQLException {
        try (Connection pg = connect(source); Statement s = pg.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM (" + source.selectSql() + ") AS ferry_d LIMIT 0")) {
            ResultSetMetaData md = rs.getMetaData();
            Map<String, String> cols = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.put(md.getColumnLabel(i), duckType(kind(md, i)));
            }
            return cols;
        }
    }

    private static Connection connect(PostgresSource source) throws SQLException {
        Properties props = new Properties();
        source.user().ifPresent(u -> props.setProperty("user", u));
        source.passwordEnv().map(System::getenv).ifPresent(p -> props.setProperty("password", p));
        return DriverManager.getConnection(source.jdbcUrl(), props);
    }

    void run() throws SQLException {
        try (Connection pg = connect(source)) {
            pg.setAutoCommit(false); // the driver only streams with a fetch size inside a transaction
            try (Statement s = pg.createStatement()) {
                s.setFetchSize(FETCH);
                try (ResultSet rs = s.executeQuery(source.selectSql())) {
                    ResultSetMetaData md = rs.getMetaData();
                    int n = md.getColumnCount();
                    int[] kinds = new int[n];
                    StringBuilder ddl = new StringBuilder("CREATE OR REPLACE TABLE " + Sql.id(table) + " (");
                    for (int i = 0; i < n; i++) {
                        kinds[i] = kind(md, i + 1);
                        ddl.append(i == 0 ? "" : ", ").append(Sql.id(md.getColumnLabel(i + 1))).append(' ').append(duckType(kinds[i]));
                    }
                    try (Statement d = duck.createStatement()) {
                        d.execute(ddl.append(')').toString());
                    }
                    append(rs, kinds);
                }
            }
            pg.rollback();
        }
    }

    private void append(ResultSet rs, int[] kinds) throws SQLException {
        try (DuckDBAppender app = duck.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            while (rs.next()) {
                app.beginRow();
                for (int i = 0; i < kinds.length; i++) {
                    appendValue(app, rs, i + 1, kinds[i]);
                }
                app.endRow();
            }
        }
    }

    private static void appendValue(DuckDBAppender app, ResultSet rs, int col, int kind) throws SQLException {
        switch (kind) {
            case Types.BOOLEAN, Types.BIT -> {
                boolean v = rs.getBoolean(col);
                if (rs.wasNull()) app.appendNull(); else app.append(v);
            }
            case Types.SMALLINT, Types.INTEGER -> {
                int v = rs.getInt(col);
                if (rs.wasNull()) app.appendNull(); else app.append(v);
            }
            case Types.BIGINT -> {
                long v = rs.getLong(col);
                if (rs.wasNull()) app.appendNull(); else app.append(v);
            }
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> {
                double v = rs.getDouble(col);
                if (rs.wasNull()) app.appendNull(); else app.append(v);
            }
            case Types.TIMESTAMP -> {
                var v = rs.getObject(col, java.time.LocalDateTime.class);
                if (v == null) app.appendNull(); else app.append(v);
            }
            case Types.TIMESTAMP_WITH_TIMEZONE -> {
                var v = rs.getObject(col, java.time.OffsetDateTime.class);
                if (v == null) app.appendNull(); else app.append(v.atZoneSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime());
            }
            case Types.DATE -> {
                var v = rs.getObject(col, java.time.LocalDate.class);
                if (v == null) app.appendNull(); else app.append(v.atStartOfDay());
            }
            default -> {
                String v = rs.getString(col);
                if (v == null) app.appendNull(); else app.append(v);
            }
        }
    }

    /** PostgreSQL's timestamptz arrives as UTC wall time; DuckDB stores it as a naive UTC TIMESTAMP. */
    private static String duckType(int kind) {
        return switch (kind) {
            case Types.BOOLEAN, Types.BIT -> "BOOLEAN";
            case Types.SMALLINT, Types.INTEGER -> "INTEGER";
            case Types.BIGINT -> "BIGINT";
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> "DOUBLE";
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE -> "TIMESTAMP";
            default -> "VARCHAR";
        };
    }
}
