package dev.ferry.features;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.types.Field;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One in-process DuckDB database: turns sources into SQL relations, registers typed views,
 * and explains cast failures column by column. Not thread-safe; {@link OfflineStore} serialises use.
 */
final class DuckEngine implements AutoCloseable {

    private final Connection conn;
    private final Map<PostgresSource, String> copiedTables = new HashMap<>();
    private final Map<Source, Map<String, String>> columnTypes = new HashMap<>();

    DuckEngine() {
        try {
            Properties p = new Properties();
            p.setProperty("jdbc_stream_results", "true");
            conn = DriverManager.getConnection("jdbc:duckdb:", p);
            exec("SET TimeZone='UTC'");
        } catch (SQLException e) {
            throw new UnavailableException("DuckDB could not be started: " + e.getMessage(), e);
        }
    }

    Connection connection() {
        return conn;
    }

    void exec(String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    /** The SQL relation that reads {@code source} in place (or its copy, for PostgreSQL). */
    String relation(Source source) {
        return switch (source) {
            case ParquetSource p -> {
                requireFile(p.path());
                yield "read_parquet(" + Sql.str(p.path().toString()) + ")";
            }
            case CsvSource c -> {
                requireFile(c.path());
                // All text: the view schema, not DuckDB's guess, decides each column's type.
                yield "read_csv(" + Sql.str(c.path().toString()) + ", header=true, all_varchar=true, delim="
                        + Sql.str(String.valueOf(c.delimiter())) + ")";
            }
            case PostgresSource pg -> copiedTables.computeIfAbsent(pg, this::copy);
        };
    }

    private static void requireFile(java.nio.file.Path path) {
        String s = path.toString();
        if (!s.contains("*") && !Files.isRegularFile(path)) {
            throw new NotFoundException("source file " + path + " does not exist");
        }
    }

    private String copy(PostgresSource pg) {
        String table = "__ferry_pg_" + copiedTables.size();
        try {
            new PostgresCopy(pg, conn, table).run();
        } catch (SQLException e) {
            throw new UnavailableException("postgres " + pg.describe() + " could not be copied: " + firstLine(e), e);
        }
        return table;
    }

    Map<String, String> describe(Source source) {
        if (source instanceof PostgresSource pg && !copiedTables.containsKey(pg)) {
            try {
                return PostgresCopy.describe(pg);
            } catch (SQLException e) {
                throw new UnavailableException("postgres " + pg.describe() + " could not be queried: " + firstLine(e), e);
            }
        }
        return describeSql("SELECT * FROM " + relation(source));
    }

    Map<String, String> describeSql(String select) {
        Map<String, String> cols = new LinkedHashMap<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + select)) {
            while (rs.next()) {
                cols.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        } catch (SQLException e) {
            throw new InvalidInputException("could not read the columns of " + select + ": " + firstLine(e), e);
        }
        return cols;
    }

    /**
     * Registers {@code name} as a DuckDB view over the source with every column cast to its
     * declared type, so queries and joins see exactly the view schema.
     */
    void registerView(String name, FeatureView view, List<JoinKey> keys) throws SQLException {
        exec("CREATE OR REPLACE TEMP VIEW " + Sql.id(name) + " AS " + typedSelect(view, keys));
    }

    /** The source's type of {@code column} (as DuckDB reads it), or null when there is no such column. */
    String sourceType(Source source, String column) {
        return sourceTypes(source).get(lower(column));
    }

    private Map<String, String> sourceTypes(Source source) {
        return columnTypes.computeIfAbsent(source, s -> lowerKeys(describeSql("SELECT * FROM " + relation(s))));
    }

    String typedSelect(FeatureView view, List<JoinKey> keys) {
        Map<String, String> types = sourceTypes(view.source());
        StringBuilder sb = new StringBuilder("SELECT ");
        for (JoinKey k : keys) {
            sb.append("CAST(").append(Sql.id(k.name())).append(" AS ").append(Sql.duckType(dev.ferry.types.FeatureType.of(k.type())))
                    .append(") AS ").append(Sql.id(k.name())).append(", ");
        }
        sb.append(Sql.timestamp(Sql.id(view.eventTimeColumn()), types.get(lower(view.eventTimeColumn())))).append(" AS ").append(Sql.id(view.eventTimeColumn()));
        view.createdTimeColumn().ifPresent(c -> sb.append(", ").append(Sql.timestamp(Sql.id(c), types.get(lower(c)))).append(" AS ").append(Sql.id(c)));
        for (Field f : view.schema().fields()) {
            sb.append(", CAST(").append(Sql.id(f.name())).append(" AS ").append(Sql.duckType(f.type())).append(") AS ").append(Sql.id(f.name()));
        }
        return sb.append(" FROM ").append(relation(view.source())).toString();
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> lowerKeys(Map<String, String> m) {
        Map<String, String> out = new HashMap<>();
        m.forEach((k, v) -> out.put(lower(k), v));
        return out;
    }

    /**
     * After a conversion error, finds the first column and value of {@code view} that does not cast,
     * so the message names them instead of echoing DuckDB's text.
     */
    RuntimeException explainCast(String viewName, FeatureView view, List<JoinKey> keys, SQLException cause) {
        String rel = relation(view.source());
        Map<String, String> casts = new LinkedHashMap<>();
        for (JoinKey k : keys) {
            casts.put(k.name(), "TRY_CAST(" + Sql.id(k.name()) + " AS " + Sql.duckType(dev.ferry.types.FeatureType.of(k.type())) + ")");
        }
        casts.put(view.eventTimeColumn(), "TRY_CAST(TRY_CAST(" + Sql.id(view.eventTimeColumn()) + " AS TIMESTAMPTZ) AS TIMESTAMP)");
        view.createdTimeColumn().ifPresent(c -> casts.put(c, "TRY_CAST(TRY_CAST(" + Sql.id(c) + " AS TIMESTAMPTZ) AS TIMESTAMP)"));
        Map<String, String> declared = new HashMap<>();
        keys.forEach(k -> declared.put(k.name(), k.type().id()));
        declared.put(view.eventTimeColumn(), "timestamp");
        view.createdTimeColumn().ifPresent(c -> declared.put(c, "timestamp"));
        for (Field f : view.schema().fields()) {
            casts.put(f.name(), "TRY_CAST(" + Sql.id(f.name()) + " AS " + Sql.duckType(f.type()) + ")");
            declared.put(f.name(), f.type().toString());
        }
        for (var e : casts.entrySet()) {
            String col = Sql.id(e.getKey());
            String q = "SELECT CAST(" + col + " AS VARCHAR) FROM " + rel + " WHERE " + col + " IS NOT NULL AND " + e.getValue() + " IS NULL LIMIT 1";
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(q)) {
                if (rs.next()) {
                    return new InvalidInputException("view '" + viewName + "' column '" + e.getKey() + "' has the value '" + rs.getString(1)
                            + "' which cannot be cast to " + declared.get(e.getKey()) + " (source " + view.source().describe() + ")", cause);
                }
            } catch (SQLException ignored) {
                // This column's check failed for another reason; keep looking at the others.
            }
        }
        return new InvalidInputException("view '" + viewName + "' could not be read as its declared types: " + firstLine(cause), cause);
    }

    static boolean isConversion(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Conversion Error") || m.contains("Could not convert") || m.contains("Invalid Input Error");
    }

    static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static RuntimeException internal(String what, SQLException e) {
        return new InternalFailure(what + ": " + firstLine(e), e);
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw internal("DuckDB could not be closed", e);
        }
    }
}
