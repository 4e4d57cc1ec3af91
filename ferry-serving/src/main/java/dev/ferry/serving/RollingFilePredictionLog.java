package dev.ferry.serving;

import dev.ferry.UnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes predictions as JSON Lines ({@code predictions-<time>-<n>.jsonl}) in a directory,
 * starting a new file when the current one passes a size or an age. Each line carries
 * {@code "format": 1} ({@link PredictionRecordJson}). For analytics, put the Parquet log of
 * {@code ferry-predictionlog-parquet} beside it; to stream records to other systems, the Kafka
 * log of {@code ferry-kafka}.
 */
public final class RollingFilePredictionLog implements PredictionLogSink {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private OutputStream out;
    private Path current;
    private long written;
    private Instant opened;
    private int sequence;

    /**
     * @param dir      the directory (created if absent)
     * @param maxBytes a file is closed once it holds at least this many bytes
     * @param maxAge   a file is closed once it is this old, by {@code clock}
     */
    public RollingFilePredictionLog(Path dir, long maxBytes, Duration maxAge, Clock clock) {
        if (maxBytes <= 0) {
            throw new dev.ferry.InvalidInputException("prediction log maxBytes was " + maxBytes + " but it must be positive");
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UnavailableException("prediction log directory " + dir + " cannot be created: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void write(List<PredictionRecord> records) {
        try {
            for (PredictionRecord r : records) {
                rollIfDue();
                byte[] line = PredictionRecordJson.toBytes(r);
                out.write(line);
                out.write('\n');
                written += line.length + 1;
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the prediction log " + current + " failed", e);
        }
    }

    private void rollIfDue() throws IOException {
        Instant now = clock.instant();
        if (out != null && written < maxBytes && Duration.between(opened, now).compareTo(maxAge) < 0) {
            return;
        }
        if (out != null) {
            out.close();
        }
        Path next;
        do {
            next = dir.resolve("predictions-" + STAMP.format(now) + "-" + (sequence++) + ".jsonl");
        } while (Files.exists(next));
        out = Files.newOutputStream(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        current = next;
        written = 0;
        opened = now;
    }

    @Override
    public synchronized void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                out = null;
            }
        }
    }
}
