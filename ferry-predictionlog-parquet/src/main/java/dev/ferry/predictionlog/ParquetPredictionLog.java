package dev.ferry.predictionlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.serving.PredictionLogSink;
import dev.ferry.serving.PredictionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes predictions as Parquet files ({@code predictions-<utc time>-<n>.parquet}) that the
 * offline store reads with {@code read_parquet}, so served predictions and the features they were
 * served with can be a feature-store source. Records are appended to an in-memory DuckDB table
 * and copied to a file when it holds {@code maxRows} or is {@code maxAge} old (written to a
 * hidden temporary name, then renamed: a reader never sees half a file). {@link #write} only offers
 * to a bounded queue drained by one writer thread, so it can sit beside the JSON Lines sink without
 * slowing it; a full queue or a failed write drops records and counts them ({@link #dropped()}).
 * Use {@code RollingFilePredictionLog} for a line-per-record log that is readable while written.
 */
public final class ParquetPredictionLog implements PredictionLogSink {

    /** Version of the file layout, stored in every row's {@code format} column. */
    public static final int FORMAT_VERSION = 1;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final int BATCH = 1024;

    private final Path dir;
    private final long maxRows;
    private final Duration maxAge;
    private final Clock clock;
    private final BlockingQueue<PredictionRecord> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong filesWritten = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectMapper json = new ObjectMapper();
    private final DuckDBConnection db;
    private final Thread writer;
    private volatile boolean running = true;
    private DuckDBAppender appender;
    private long rows;
    private Instant opened;
    private int sequence;

    /**
     * @param dir           the directory (created if absent)
     * @param maxRows       a file is written once this many records are pending
     * @param maxAge        a file is written once its first record is this old, by {@code clock}
     * @param queueCapacity records waiting for the writer; more are dropped and counted
     * @param clock         the clock for file names and ages
     * @param threads       makes the writer thread
     */
    public ParquetPredictionLog(Path dir, long maxRows, Duration maxAge, int queueCapacity, Clock clock, ThreadFactory threads) {
        List<String> problems = new ArrayList<>();
        if (maxRows <= 0) {
            problems.add("maxRows was " + maxRows + " but it must be positive");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            problems.add("maxAge was " + maxAge + " but it must be positive");
        }
        if (queueCapacity <= 0) {
            problems.add("queueCapacity was " + queueCapacity + " but it must be positive");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("Parquet prediction log: " + String.join("; ", problems));
        }
        this.dir = dir;
        this.maxRows = maxRows;
        this.maxAge = maxAge;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        try {
            Files.createDirectories(dir);
            this.db = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE predictions (format INTEGER, request_id VARCHAR, \"at\" TIMESTAMP, deployment VARCHAR,"
                        + " arm VARCHAR, model VARCHAR, version INTEGER, shadow BOOLEAN, source VARCHAR, degraded BOOLEAN,"
                        + " entity VARCHAR, features VARCHAR, output VARCHAR)");
            }
        } catch (IOException | SQLException e) {
            throw new UnavailableException("Parquet prediction log in " + dir + " cannot be opened: " + e.getMessage(), e);
        }
        this.writer = threads.newThread(this::drain);
        writer.start();
    }

    /** Offers the records to the queue; never blocks. */
    @Override
    public void write(List<PredictionRecord> records) {
        for (PredictionRecord r : records) {
            if (!queue.offer(r)) {
                dropped.incrementAndGet();
            }
        }
    }

    /** Records dropped because the queue was full or a write failed. */
    public long dropped() {
        return dropped.get();
    }

    /** Parquet files completed so far. */
    public long filesWritten() {
        return filesWritten.get();
    }

    private void drain() {
        List<PredictionRecord> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                PredictionRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
                lock.lock();
                try {
                    if (first != null) {
                        batch.add(first);
                        queue.drainTo(batch, BATCH - 1);
                        append(batch);
                        batch.clear();
                    }
                    rollIfDue();
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void append(List<PredictionRecord> batch) {
        try {
            for (PredictionRecord r : batch) {
                if (appender == null) {
                    appender = db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "predictions");
                    opened = clock.instant();
                }
                appender.beginRow()
                        .append(FORMAT_VERSION)
                        .append(r.requestId())
                        .append(LocalDateTime.ofInstant(r.at(), ZoneOffset.UTC))
                        .append(r.deployment())
                        .append(r.arm())
                        .append(r.model())
                        .append(r.version())
                        .append(r.shadow())
                        .append(r.source().name().toLowerCase(Locale.ROOT))
                        .append(r.degraded())
                        .append(json.writeValueAsString(r.entity()));
                text(r.features() == null ? null : json.writeValueAsString(r.features().values()));
                text(r.output() == null ? null : json.writeValueAsString(r.output().values()));
                appender.endRow();
                rows++;
                if (rows >= maxRows) {
                    roll();
                }
            }
        } catch (SQLException | JsonProcessingException | RuntimeException e) {
            dropped.addAndGet(batch.size());
        }
    }

    private void text(String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    private void rollIfDue() {
        if (rows == 0) {
            return;
        }
        if (rows >= maxRows || Duration.between(opened, clock.instant()).compareTo(maxAge) >= 0) {
            roll();
        }
    }

    /** Copies the pending rows to a new Parquet file and empties the table. Caller holds the lock. */
    private void roll() {
        if (rows == 0) {
            return;
        }
        Path target;
        do {
            target = dir.resolve("predictions-" + STAMP.format(opened) + "-" + (sequence++) + ".parquet");
        } while (Files.exists(target));
        Path temp = dir.resolve("." + target.getFileName() + ".tmp");
        long pending = rows;
        try {
            appender.close();
            appender = null;
            try (Statement s = db.createStatement()) {
                s.execute("COPY predictions TO '" + temp.toString().replace("'", "''")
                        + "' (FORMAT parquet, COMPRESSION zstd)");
                s.execute("DELETE FROM predictions");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            filesWritten.incrementAndGet();
        } catch (SQLException | IOException e) {
            dropped.addAndGet(pending);
            try (Statement s = db.createStatement()) {
                s.execute("DELETE FROM predictions");
                Files.deleteIfExists(temp);
            } catch (SQLException | IOException ignored) {
                // the rows are already counted as dropped; the next file starts clean or fails the same way
            }
        } finally {
            rows = 0;
        }
    }

    /** Writes everything offered so far into a completed Parquet file. */
    @Override
    public void flush() {
        lock.lock();
        try {
            List<PredictionRecord> batch = new ArrayList<>();
            queue.drainTo(batch);
            if (!batch.isEmpty()) {
                append(batch);
            }
            roll();
        } finally {
            lock.unlock();
        }
    }

    /** Writes the pending records to a last file, stops the writer and closes DuckDB. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        try {
            db.close();
        } catch (SQLException e) {
            throw new UnavailableException("closing the Parquet prediction log's DuckDB failed: " + e.getMessage(), e);
        }
    }

    /** The Parquet files written so far, oldest first; pass them to {@code read_parquet}. */
    public List<Path> files() {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("predictions-") && p.toString().endsWith(".parquet"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UnavailableException("listing " + dir + " failed: " + e.getMessage(), e);
        }
    }
}
