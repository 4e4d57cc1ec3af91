package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.types.Row;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL table read through a server-side cursor (autocommit off and a fetch size), so the
 * driver holds one fetch of rows at a time however large the table is.
 */
final class PostgresSource implements TableSource {

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final int FETCH = 2_000;

    private final String url;
    private final String user;
    private final String password;
    private final String table;

    PostgresSource(String url, String user, String password, String table) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException("PostgreSQL URL was '" + url + "' but it must start with jdbc:postgresql:");
        }
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new InvalidInputException("table was '" + table + "' but it must be a name like 'scores' or 'public.scores'");
        }
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
    }

    @Override
    public String describe() {
        return "postgres table " + table;
    }

    @Override
    public Stream<Row> open() {
        Connection conn = null;
        try {
            conn = DriverManager.getConnection(url, user, password);
            conn.setAutoCommit(false);
            Statement st = conn.createStatement();
            st.setFetchSize(FETCH);
            ResultSet rs = st.executeQuery("SELECT * FROM " + quoted());
            return JdbcRows.stream(conn, st, rs, describe());
        } catch (SQLException e) {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException ignored) {
                    // the read already failed; that failure is the one reported
                }
            }
            throw failure(e);
        }
    }

    @Override
    public OptionalLong count() {
        try (Connection conn = DriverManager.getConnection(url, user, password); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quoted())) {
            rs.next();
            return OptionalLong.of(rs.getLong(1));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private String quoted() {
        StringBuilder b = new StringBuilder();
        for (String part : table.split("\\.")) {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append('"').append(part).append('"');
        }
        return b.toString();
    }

    private RuntimeException failure(SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return new UnavailableException("PostgreSQL at " + url + " could not be reached: " + JdbcRows.firstLine(e), e);
        }
        return new InvalidInputException(describe() + " could not be read: " + JdbcRows.firstLine(e), e);
    }
}
