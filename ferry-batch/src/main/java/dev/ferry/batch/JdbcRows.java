package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import dev.ferry.types.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A JDBC result set as a lazily read stream of rows that closes the statement and connection with it. */
final class JdbcRows {

    private JdbcRows() {
    }

    static Stream<Row> stream(Connection conn, Statement st, ResultSet rs, String source) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(md.getColumnLabel(i));
        }
        Spliterator<Row> it = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super Row> action) {
                try {
                    if (!rs.next()) {
                        return false;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 1; i <= cols.size(); i++) {
                        m.put(cols.get(i - 1), value(rs.getObject(i)));
                    }
                    action.accept(new Row(m));
                    return true;
                } catch (SQLException e) {
                    throw new InvalidInputException(source + " could not be read: " + firstLine(e), e);
                }
            }
        };
        return StreamSupport.stream(it, false).onClose(() -> {
            try (conn; st; rs) {
                // closes all three
            } catch (SQLException e) {
                throw new InvalidInputException(source + " could not be closed: " + firstLine(e), e);
            }
        });
    }

    /** JDBC values as Ferry values: timestamps become Instants (UTC), decimals doubles. */
    static Object value(Object v) {
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (v instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof java.util.UUID u) {
            return u.toString();
        }
        return v;
    }

    static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
