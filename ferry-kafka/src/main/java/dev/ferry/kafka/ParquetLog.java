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
 *
 * <p><b>Compaction.</b> One file a batch would leave a long-running stream with thousands of
 * small files, which every training set then opens. {@link #compact} merges a partition's batch
 * files into one {@code <topic>-<partition>-<first offset>-<last offset>.compacted.parquet},
 * ordered by offset, each row written once more and never again. The last offset of a
 * partition's compacted files is its <em>watermark</em>: {@link #append} drops rows at or below
 * it, so a batch delivered again after its rows were compacted (a crash after the compaction but
 * before the consumer's commit) adds nothing. The compacted file appears by an atomic rename and
 * the files it replaces are deleted after; a crash between the two leaves rows twice, which no
 * point-in-time join can tell apart (same key, event time and created time) and which the next
 * append, compaction or {@link #open} of the log removes, since a batch file at or below the
 * watermark is known to be inside a compacted file.
 */
public final class ParquetLog implements AutoCloseable {

    /** Columns added to every row besides the view's own: where it came from and when it became servable. */
    public static final String TOPIC = "_kafka_topic";
    public static final String PARTITION = "_kafka_partition";
    public static final String OFFSET = "_kafka_offset";
    public static final String INGESTED_AT = "_ingested_at";

    private static final String EMPTY = "_schema.parquet";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern BATCH_FILE = Pattern.compile("(.+)-(\\d+)-(\\d{20})\\.parquet");
    private static final Pattern COMPACTED_FILE = Pattern.compile("(.+)-(\\d+)-(\\d{20})-(\\d{20})\\.compacted\\.parquet");
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

    /**
     * The log rooted at {@code root} (created if missing), with the leftovers of a compaction
     * that a crash interrupted removed. Close it to free its DuckDB.
     */
    public static ParquetLog open(Path root) {
        ParquetLog log = new ParquetLog(root);
        try (var views = Files.list(root)) {
            for (Path dir : views.filter(Files::isDirectory).toList()) {
                for (Partition p : Partition.all(dir).values()) {
                    p.dropReplaced();
                }
            }
        } catch (IOException e) {
            log.close();
            throw new UnavailableException("offline log at " + root + " could not be listed: " + e.getMessage(), e);
        }
        return log;
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
        try {
            Files.createDirectories(dir);
            long watermark = Partition.of(dir, topic, partition).dropReplaced().watermark();
            if (firstOffset <= watermark) {
                // delivered again after (some of) its rows were compacted: those rows are already there
                rows = rows.stream().filter(r -> r.offset() > watermark).toList();
                firstOffset = watermark + 1;
            }
            Path file = dir.resolve(String.format("%s-%d-%020d.parquet", topic, partition, firstOffset));
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
            throw new UnavailableException("offline log of view " + view.name() + " could not be written to " + dir + " (" + topic + "-"
                    + partition + " from offset " + firstOffset + "): " + e.getMessage(), e);
        }
    }

    /**
     * Merges the batch files of one partition of a view into one compacted file once there are at
     * least {@code minFiles} of them; returns how many files were merged (0: none).
     */
    public synchronized int compact(String viewName, String topic, int partition, int minFiles) {
        if (minFiles < 1) {
            throw new InvalidInputException("minFiles was " + minFiles + " but it must be at least 1");
        }
        Path dir = directory(viewName);
        List<Batch> batches = Partition.of(dir, topic, partition).dropReplaced().batches();
        if (batches.size() < minFiles || batches.isEmpty()) {
            return 0;
        }
        List<String> quoted = batches.stream().map(b -> str(b.file().toString())).toList();
        String files = "read_parquet([" + String.join(", ", quoted) + "], union_by_name = true)";
        try (Statement st = duck.createStatement()) {
            long last;
            try (var rs = st.executeQuery("SELECT max(" + id(OFFSET) + ") FROM " + files)) {
                rs.next();
                last = rs.getLong(1);
            }
            long first = batches.getFirst().first();
            copyTo("SELECT * FROM " + files + " ORDER BY " + id(OFFSET),
                    dir.resolve(String.format("%s-%d-%020d-%020d.compacted.parquet", topic, partition, first, last)));
        } catch (IOException | SQLException e) {
            throw new UnavailableException("offline log of view " + viewName + " could not compact " + batches.size() + " files of "
                    + topic + "-" + partition + ": " + e.getMessage(), e);
        }
        try {
            // all inside the compacted file now; any left by a crash here go at the next append, compaction or open
            for (Batch b : batches) {
                Files.deleteIfExists(b.file());
            }
        } catch (IOException e) {
            throw new UnavailableException("offline log of view " + viewName + " could not remove compacted files of " + topic + "-"
                    + partition + ": " + e.getMessage(), e);
        }
        return batches.size();
    }

    /** The Parquet files in a view's directory, as the offline store's glob sees them (for tests and tools). */
    public List<Path> files(String viewName) {
        try (var files = Files.list(directory(viewName))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UnavailableException("offline log of view " + viewName + " could not be listed: " + e.getMessage(), e);
        }
    }

    /** A batch file: {@code <topic>-<partition>-<first offset>.parquet}. */
    private record Batch(Path file, long first) {
    }

    /** A compacted file, holding the offsets from {@code first} to {@code last}. */
    private record Compacted(Path file, long first, long last) {
    }

    /** The files of one topic partition in a view's directory, as one listing found them. */
    private record Partition(Path dir, List<Batch> batches, List<Compacted> compacted) {

        /** One listing of {@code dir}, for one partition. */
        static Partition of(Path dir, String topic, int partition) {
            return all(dir).getOrDefault(topic + "\n" + partition, new Partition(dir, List.of(), List.of()));
        }

        /** One listing of {@code dir}, by {@code topic + "\n" + partition}; batches in offset order. */
        static Map<String, Partition> all(Path dir) {
            Map<String, List<Batch>> batches = new java.util.LinkedHashMap<>();
            Map<String, List<Compacted>> compacted = new java.util.LinkedHashMap<>();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String n = f.getFileName().toString();
                    java.util.regex.Matcher m = COMPACTED_FILE.matcher(n);
                    if (m.matches()) {
                        compacted.computeIfAbsent(m.group(1) + "\n" + Integer.parseInt(m.group(2)), k -> new ArrayList<>())
                                .add(new Compacted(f, Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
                    } else if ((m = BATCH_FILE.matcher(n)).matches()) {
                        batches.computeIfAbsent(m.group(1) + "\n" + Integer.parseInt(m.group(2)), k -> new ArrayList<>())
                                .add(new Batch(f, Long.parseLong(m.group(3))));
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                return Map.of();
            } catch (IOException e) {
                throw new UnavailableException("offline log in " + dir + " could not be listed: " + e.getMessage(), e);
            }
            Map<String, Partition> out = new java.util.LinkedHashMap<>();
            java.util.Set<String> keys = new java.util.LinkedHashSet<>(batches.keySet());
            keys.addAll(compacted.keySet());
            for (String k : keys) {
                List<Batch> b = new ArrayList<>(batches.getOrDefault(k, List.of()));
                b.sort(java.util.Comparator.comparingLong(Batch::first));
                out.put(k, new Partition(dir, b, compacted.getOrDefault(k, List.of())));
            }
            return out;
        }

        /** The last offset in a compacted file, or -1. */
        long watermark() {
            return compacted.stream().mapToLong(Compacted::last).max().orElse(-1);
        }

        /**
         * Deletes what a compacted file already holds: batch files starting at or below the
         * watermark, and compacted files inside another's range. Returns what is left.
         */
        Partition dropReplaced() {
            long watermark = watermark();
            List<Batch> keptBatches = new ArrayList<>();
            List<Compacted> keptCompacted = new ArrayList<>();
            try {
                for (Batch b : batches) {
                    if (b.first() <= watermark) {
                        Files.deleteIfExists(b.file());
                    } else {
                        keptBatches.add(b);
                    }
                }
                for (Compacted r : compacted) {
                    boolean inside = compacted.stream().anyMatch(o -> o != r && o.first() <= r.first() && o.last() >= r.last()
                            && (o.first() < r.first() || o.last() > r.last()));
                    if (inside) {
                        Files.deleteIfExists(r.file());
                    } else {
                        keptCompacted.add(r);
                    }
                }
            } catch (IOException e) {
                throw new UnavailableException("offline log in " + dir + " could not remove compacted files: " + e.getMessage(), e);
            }
            return new Partition(dir, keptBatches, keptCompacted);
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
