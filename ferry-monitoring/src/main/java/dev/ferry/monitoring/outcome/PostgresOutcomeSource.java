package dev.ferry.monitoring.outcome;

import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Outcomes from a PostgreSQL table (or view), streamed with a server-side cursor in one read-only
 * transaction, so a large table is never held in memory. {@code timestamp} columns are read as
 * UTC, {@code timestamptz} columns as the instant they hold. Positions are
 * {@code <table> row <n>}.
 */
public final class PostgresOutcomeSource implements OutcomeSource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private final String table;
    private final Connection db;
    private final ResultSet rows;
    private final String[] columns;
    private final String[] types;
    private long row;

    /**
     * @param jdbcUrl  a {@code jdbc:postgresql://} URL
     * @param user     user name
     * @param password password (may be empty)
     * @param table    table or view name, optionally schema-qualified
     */
    public PostgresOutcomeSource(String jdbcUrl, String user, String password, String table) {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new InvalidInputException("outcome table was '" + table + "' but a table name like outcomes or schema.outcomes is expected");
        }
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException("outcome database URL was '" + jdbcUrl + "' but a jdbc:postgresql:// URL is expected");
        }
        this.table = table;
        try {
            this.db = DriverManager.getConnection(jdbcUrl, user, password);
            db.setAutoCommit(false);
            db.setReadOnly(true);
            Statement st = db.createStatement();
            st.setFetchSize(1000);
            this.rows = st.executeQuery("SELECT * FROM " + table);
            ResultSetMetaData md = rows.getMetaData();
            this.columns = new String[md.getColumnCount()];
            this.types = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = md.getColumnLabel(i + 1);
                types[i] = md.getColumnTypeName(i + 1);
            }
        } catch (SQLException e) {
            throw new UnavailableException("outcome table " + table + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public List<SourceRow> next(int max) {
        List<SourceRow> out = new ArrayList<>();
        try {
            while (out.size() < max && rows.next()) {
                row++;
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 0; i < columns.length; i++) {
                    Object v = switch (types[i]) {
                        case "timestamp" -> rows.getObject(i + 1, LocalDateTime.class);
                        case "timestamptz" -> rows.getObject(i + 1, OffsetDateTime.class);
                        default -> rows.getObject(i + 1);
                    };
                    values.put(columns[i], v);
                }
                out.add(SourceRow.of(table + " row " + row, values));
            }
        } catch (SQLException e) {
            throw new UnavailableException("outcome table " + table + " failed at row " + row + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public String describe() {
        return "table " + table;
    }

    @Override
    public void close() {
        try {
            db.rollback();
            db.close();
        } catch (SQLException e) {
            throw new UnavailableException("closing the connection for " + table + " failed: " + e.getMessage(), e);
        }
    }
}
