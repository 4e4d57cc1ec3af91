package dev.ferry.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.features.DuckTypes;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.ParquetSource;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
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
import java.util.regex.Pattern;

/**
 * The offline copy of what stream ingestion accepted: per view a directory of Parquet files,
 * {@code <root>/<view>/<topic>-<partition>-<first offset>.parquet}, read by the offline store
 * through the view's source {@link #source(String) parquet:<root>/<view>/*.parquet}. A file is
 * named by the first Kafka offset of its batch and replaced atomically, so a batch delivered again
 * after a crash overwrites its earlier file instead of adding duplicate rows. Call
 * {@link #initialize} once per view before the view is applied, so the glob matches a file.
 */
public final class ParquetLog implements AutoCloseable {

    /** Columns added to every row besides the view's own: where it came from and when it became servable. */
    public static final String TOPIC = "_kafka_topic";
    public static final String PARTITION = "_kafka_partition";
    public static final String OFFSET = "_kafka_offset";
    public static final String INGESTED_AT = "_ingested_at";

    private static final String EMPTY = "_schema.parquet";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final Path root;
    private final Connection duck;

    private ParquetLog(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            duck = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = duck.createStatement()) {
                s.execute("SET TimeZone='UTC'");
            }
        } catch (IOException | SQLException e) {
            throw new UnavailableException("offline log at " + root + " could not be opened: " + e.getMessage(), e);
        }
    }

    /** The log rooted at {@code root} (created if missing). Close it to free its DuckDB. */
    public static ParquetLog open(Path root) {
        return new ParquetLog(root);
    }

    /** The directory of one view's files. */
    public Path directory(String viewName) {
        if (viewName == null || !SAFE.matcher(viewName).matches()) {
            throw new InvalidInputException("view name was '" + viewName + "' but it must be letters, digits, '_', '.', '-'");
        }
        return root.resolve(viewName);
    }

    /** The source a view declares to read what streaming appended: a Parquet glob over its directory. */
    public ParquetSource source(String viewName) {
        return new ParquetSource(directory(viewName).resolve("*.parquet"));
    }

    /**
     * Creates the view's directory with a zero-row file of its schema, so the view's Parquet glob
     * matches (and the registry can check its columns) before the first message arrives.
     */
    public synchronized void initialize(FeatureView view, List<JoinKey> keys) {
        Path dir = directory(view.name());
        Path file = dir.resolve(EMPTY);
        if (Files.exists(file)) {
            return;
        }
        StringBuilder select = new StringBuilder("SELECT ");
        List<String> cols = new ArrayList<>();
        for (Column c : columns(view, keys)) {
            cols.add("CAST(NULL AS " + c.type + ") AS " + id(c.name));
        }
        select.append(String.join(", ", cols)).append(" LIMIT 0");
        try {
            Files.createDirectories(dir);
            copyTo(select.toString(), file);
        } catch (IOException | SQLException e) {
            throw new UnavailableException("offline log of view " + view.name() + " could not be initialized in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the accepted rows of one partition's batch as {@code <topic>-<partition>-<first offset>.parquet},
     * replacing a file of the same name; with no rows, removes such a file (a batch that is now
     * all rejected must not leave an earlier attempt's rows behind).
     */
    public synchronized void append(FeatureView view, List<JoinKey> keys, String topic, int partition, long firstOffset,
                                    List<OfflineRow> rows, Instant ingestedAt) {
        Path dir = directory(view.name());
        if (!SAFE.matcher(topic).matches()) {
            throw new InvalidInputException("topic was '" + topic + "' but it must be letters, digits, '_', '.', '-'");
        }
        Path file = dir.resolve(String.format("%s-%d-%020d.parquet", topic, partition, firstOffset));
        try {
            Files.createDirectories(dir);
            if (rows.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            List<Column> columns = columns(view, keys);
            Path json = Files.createTempFile(dir, ".batch-", ".json.tmp");
            try {
                writeJson(json, view, rows, topic, partition, ingestedAt);
                StringBuilder spec = new StringBuilder("{");
                List<String> select = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    Column c = columns.get(i);
                    spec.append(i == 0 ? "" : ", ").append(str(c.name)).append(": ").append(str(c.jsonType()));
                    select.add(c.jsonType().equals(c.type) ? id(c.name) : "CAST(" + id(c.name) + " AS " + c.type + ") AS " + id(c.name));
                }
                spec.append('}');
                copyTo("SELECT " + String.join(", ", select) + " FROM read_json(" + str(json.toString())
                        + ", format='newline_delimited', columns=" + spec + ")", file);
            } finally {
                Files.deleteIfExists(json);
            }
        } catch (IOException | SQLException e) {
            throw new UnavailableException("offline log of view " + view.name() + " could not be written to " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeJson(Path json, FeatureView view, List<OfflineRow> rows, String topic, int partition, Instant ingestedAt) throws IOException {
        String ingested = naive(ingestedAt);
        try (OutputStream out = Files.newOutputStream(json); JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            for (OfflineRow r : rows) {
                g.writeStartObject();
                for (Map.Entry<String, Object> e : r.keys().entrySet()) {
                    g.writeObjectField(e.getKey(), e.getValue());
                }
                g.writeStringField(view.eventTimeColumn(), naive(r.record().eventTime()));
                if (view.createdTimeColumn().isPresent()) {
                    g.writeStringField(view.createdTimeColumn().get(), ingested);
                }
                for (Map.Entry<String, Object> e : r.record().values().entrySet()) {
                    g.writeObjectField(e.getKey(), e.getValue());
                }
                g.writeStringField(TOPIC, topic);
                g.writeNumberField(PARTITION, partition);
                g.writeNumberField(OFFSET, r.offset());
                g.writeStringField(INGESTED_AT, ingested);
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
    }

    private void copyTo(String select, Path file) throws SQLException, IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (Statement s = duck.createStatement()) {
            s.execute("COPY (" + select + ") TO " + str(tmp.toString()) + " (FORMAT parquet)");
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private record Column(String name, String type) {
        /** read_json reads vectors as lists; they are cast to fixed-size arrays afterwards. */
        String jsonType() {
            return type.matches(".*\\[\\d+]") ? type.replaceAll("\\[\\d+]$", "[]") : type;
        }
    }

    private static List<Column> columns(FeatureView view, List<JoinKey> keys) {
        List<Column> cols = new ArrayList<>();
        for (JoinKey k : keys) {
            cols.add(new Column(k.name(), DuckTypes.of(FeatureType.of(k.type()))));
        }
        cols.add(new Column(view.eventTimeColumn(), "TIMESTAMP"));
        view.createdTimeColumn().ifPresent(c -> cols.add(new Column(c, "TIMESTAMP")));
        for (Field f : view.schema().fields()) {
            cols.add(new Column(f.name(), DuckTypes.of(f.type())));
        }
        cols.add(new Column(TOPIC, "VARCHAR"));
        cols.add(new Column(PARTITION, "INTEGER"));
        cols.add(new Column(OFFSET, "BIGINT"));
        cols.add(new Column(INGESTED_AT, "TIMESTAMP"));
        return cols;
    }

    private static String naive(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString();
    }

    private static String id(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String str(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public synchronized void close() {
        try {
            duck.close();
        } catch (SQLException e) {
            throw new UnavailableException("offline log DuckDB could not be closed: " + e.getMessage(), e);
        }
    }
}
