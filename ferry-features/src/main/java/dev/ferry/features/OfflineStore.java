package dev.ferry.features;

import dev.ferry.InvalidInputException;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.duckdb.DuckDBConnection;

/**
 * The offline half of the feature store: an in-process DuckDB that reads each view's source in
 * place (Parquet, CSV; PostgreSQL copied over JDBC) with the registry's types enforced. It builds
 * point-in-time training sets, streams the latest row per entity for materialization, and runs
 * ad-hoc SQL where every view is a table by its name. Close it to free DuckDB's memory. One
 * store runs one operation at a time; open several for parallel work.
 */
public final class OfflineStore implements SourceInspector, AutoCloseable {

    private final FeatureRegistry registry;
    private final Clock clock;
    private final DuckEngine engine;

    private OfflineStore(FeatureRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.engine = new DuckEngine();
    }

    public static OfflineStore open(FeatureRegistry registry) {
        return new OfflineStore(registry, Clock.systemUTC());
    }

    public static OfflineStore open(FeatureRegistry registry, Clock clock) {
        return new OfflineStore(registry, clock);
    }

    /** A source inspector that starts a short-lived DuckDB for each source it reads. */
    public static SourceInspector inspector() {
        return source -> {
            try (DuckEngine e = new DuckEngine()) {
                return e.describe(source);
            }
        };
    }

    @Override
    public synchronized Map<String, String> columns(Source source) {
        return engine.describe(source);
    }

    /**
     * Builds a point-in-time correct training set and writes it with its manifest
     * ({@code <output>.manifest.json}). For every entity row and requested view, the feature row
     * with the latest event time at or before the row's time (ties: latest created time) is
     * joined, or nulls when there is none within the view's max age.
     */
    public synchronized TrainingSetManifest trainingSet(TrainingSetRequest request) {
        if (request.entities().query().isPresent()) {
            exposeViews();
        }
        try {
            return new PointInTimeJoin(engine, registry, clock).run(request);
        } catch (SQLException e) {
            throw DuckEngine.internal("training set could not be built", e);
        }
    }

    /**
     * The latest row of each entity among the rows of {@code viewRef} ({@code name} or
     * {@code name@version}) with event time in {@code [from, to)}; ties on event time go to the
     * latest created time. Rows are streamed from DuckDB, so memory does not grow with the
     * number of entities. Close the stream (try-with-resources) when done.
     */
    public Stream<FeatureRecord> latest(String viewRef, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new InvalidInputException("time range was [" + from + ", " + to + ") but from must be before to");
        }
        RegisteredView rv = registry.view(viewRef);
        FeatureView v = rv.view();
        List<JoinKey> keys = keysOf(v);
        String ts = Sql.id(v.eventTimeColumn());
        String partition = String.join(", ", keys.stream().map(k -> Sql.id(k.name())).toList());
        String order = ts + " DESC" + v.createdTimeColumn().map(c -> ", " + Sql.id(c) + " DESC NULLS LAST").orElse("");
        String sql;
        synchronized (this) {
            String keysPresent = String.join("", keys.stream().map(k -> " AND " + Sql.id(k.name()) + " IS NOT NULL").toList());
            sql = "SELECT * FROM (" + engine.typedSelect(v, keys) + ") WHERE " + ts + " >= " + literal(from) + " AND " + ts + " < " + literal(to)
                    + keysPresent
                    + " QUALIFY row_number() OVER (PARTITION BY " + partition + " ORDER BY " + order + ") = 1";
        }
        Connection conn;
        Statement st;
        ResultSet rs;
        try {
            // A second connection to the same database, so other calls can run while this streams.
            conn = engine.connection().unwrap(DuckDBConnection.class).duplicate();
            st = conn.createStatement();
            rs = st.executeQuery(sql);
        } catch (SQLException e) {
            if (DuckEngine.isConversion(e)) {
                synchronized (this) {
                    throw engine.explainCast(rv.ref(), v, keys, e);
                }
            }
            throw DuckEngine.internal("view " + rv.ref() + " could not be read", e);
        }
        Spliterator<FeatureRecord> it = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super FeatureRecord> action) {
                try {
                    if (!rs.next()) {
                        return false;
                    }
                    Map<String, Object> key = new LinkedHashMap<>();
                    for (JoinKey k : keys) {
                        key.put(k.name(), dev.ferry.types.FeatureType.of(k.type()).coerce(k.name(), javaValue(rs.getObject(k.name()))));
                    }
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (Field f : v.schema().fields()) {
                        values.put(f.name(), f.type().coerce(f.name(), javaValue(rs.getObject(f.name()))));
                    }
                    Instant t = rs.getObject(v.eventTimeColumn(), LocalDateTime.class).toInstant(ZoneOffset.UTC);
                    action.accept(new FeatureRecord(new Row(key), new Row(values), t));
                    return true;
                } catch (SQLException e) {
                    if (DuckEngine.isConversion(e)) {
                        throw new InvalidInputException("view " + rv.ref() + " has a value that does not cast to its declared type: "
                                + DuckEngine.firstLine(e), e);
                    }
                    throw DuckEngine.internal("view " + rv.ref() + " could not be read", e);
                }
            }
        };
        return StreamSupport.stream(it, false).onClose(() -> {
            try (conn; st; rs) {
                // closes all three
            } catch (SQLException e) {
                throw DuckEngine.internal("DuckDB cursor could not be closed", e);
            }
        });
    }

    /**
     * Runs a SQL query as {@link #sql} does, but streams every row from DuckDB instead of
     * collecting them, so memory does not grow with the result (batch scoring reads its input
     * this way). Close the stream (try-with-resources) when done.
     */
    public Stream<Row> stream(String query) {
        Connection conn;
        Statement st;
        ResultSet rs;
        List<String> cols = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        synchronized (this) {
            try {
                // A second connection, so other calls can run while this streams; views are
                // temporary (per connection), so they are exposed on it too.
                conn = engine.connection().unwrap(DuckDBConnection.class).duplicate();
                st = conn.createStatement();
                for (RegisteredView rv : registry.views()) {
                    st.execute("CREATE OR REPLACE TEMP VIEW " + Sql.id(rv.name()) + " AS " + engine.typedSelect(rv.view(), keysOf(rv.view())));
                }
                rs = st.executeQuery(query);
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    cols.add(md.getColumnLabel(i));
                    types.add(md.getColumnType(i));
                }
            } catch (SQLException e) {
                throw new InvalidInputException("query failed: " + DuckEngine.firstLine(e), e);
            }
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
                        Object v = types.get(i - 1) == java.sql.Types.TIMESTAMP ? rs.getObject(i, LocalDateTime.class) : rs.getObject(i);
                        m.put(cols.get(i - 1), javaValue(v));
                    }
                    action.accept(new Row(m));
                    return true;
                } catch (SQLException e) {
                    throw new InvalidInputException("query failed while reading: " + DuckEngine.firstLine(e), e);
                }
            }
        };
        return StreamSupport.stream(it, false).onClose(() -> {
            try (conn; st; rs) {
                // closes all three
            } catch (SQLException e) {
                throw DuckEngine.internal("DuckDB cursor could not be closed", e);
            }
        });
    }

    /**
     * Runs a SQL query in which every registered view (latest version) is a table named like the
     * view, typed by its schema. At most {@code maxRows} rows are returned.
     */
    public synchronized QueryResult sql(String query, int maxRows) {
        exposeViews();
        return query(query, maxRows);
    }

    /**
     * Runs a SQL query as it is, without exposing the registered views (so a view whose source
     * is missing or unreachable does not stop it); sources are named by {@link #relation}. At most
     * {@code maxRows} rows are returned. Data quality checks use it to read one source in one scan.
     */
    public synchronized QueryResult query(String query, int maxRows) {
        try (Statement s = engine.connection().createStatement(); ResultSet rs = s.executeQuery(query)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(md.getColumnLabel(i));
            }
            List<Row> rows = new ArrayList<>();
            boolean truncated = false;
            while (rs.next()) {
                if (rows.size() == maxRows) {
                    truncated = true;
                    break;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 1; i <= cols.size(); i++) {
                    int type = md.getColumnType(i);
                    Object v = type == java.sql.Types.TIMESTAMP ? rs.getObject(i, LocalDateTime.class) : rs.getObject(i);
                    m.put(cols.get(i - 1), javaValue(v));
                }
                rows.add(new Row(m));
            }
            return new QueryResult(cols, rows, truncated);
        } catch (SQLException e) {
            if (DuckEngine.isConversion(e)) {
                throw new InvalidInputException("query failed because a source value does not cast to its view type: " + DuckEngine.firstLine(e), e);
            }
            throw new InvalidInputException("query failed: " + DuckEngine.firstLine(e), e);
        }
    }

    /**
     * The SQL relation that reads {@code source} in place in this store's queries ({@link #query}):
     * {@code read_parquet('...')}, {@code read_csv('...', all_varchar=true)} (text: the view decides
     * types), or a temporary table holding the copied PostgreSQL rows.
     */
    public synchronized String relation(Source source) {
        return engine.relation(source);
    }

    private void exposeViews() {
        for (RegisteredView rv : registry.views()) {
            try {
                engine.registerView(rv.name(), rv.view(), keysOf(rv.view()));
            } catch (SQLException e) {
                throw new InvalidInputException("view " + rv.ref() + " could not be exposed to SQL: " + DuckEngine.firstLine(e), e);
            }
        }
    }

    private List<JoinKey> keysOf(FeatureView v) {
        List<JoinKey> keys = new ArrayList<>();
        for (String e : v.entities()) {
            keys.addAll(registry.entity(e).orElseThrow(() -> new dev.ferry.NotFoundException("entity '" + e + "' of view '" + v.name()
                    + "' is not in the registry")).joinKeys());
        }
        return keys;
    }

    private static String literal(Instant t) {
        return "TIMESTAMP " + Sql.str(LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString());
    }

    /** JDBC values as Ferry values: timestamps become Instants (UTC), arrays become lists. */
    static Object javaValue(Object v) throws SQLException {
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (v instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        if (v instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof java.sql.Array a) {
            Object[] arr = (Object[]) a.getArray();
            List<Object> out = new ArrayList<>(arr.length);
            for (Object o : arr) {
                out.add(javaValue(o));
            }
            return out;
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        return v;
    }

    DuckEngine engine() {
        return engine;
    }

    @Override
    public synchronized void close() {
        engine.close();
    }
}
