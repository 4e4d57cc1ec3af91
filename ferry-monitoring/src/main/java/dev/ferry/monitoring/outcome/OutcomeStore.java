package dev.ferry.monitoring.outcome;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Joined outcomes kept in a directory ({@code <data dir>/outcomes}) as JSON Lines files, one per
 * ingestion run, each written under a hidden temporary name and then renamed, so a failed run
 * leaves earlier runs untouched and a reader never sees half a file. Every line carries
 * {@code "format": 1}; another version is refused. Reading merges all files in name order; an
 * outcome ingested again for the same request, deployment and arm replaces the earlier one, so
 * re-running an ingestion is harmless. Metrics are recomputed from here at any time.
 */
public final class OutcomeStore {

    /** Version of the stored line layout. */
    public static final int FORMAT_VERSION = 1;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final Path dir;
    private final Clock clock;
    private int sequence;

    public OutcomeStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UnavailableException("outcome store directory " + dir + " cannot be created: " + e.getMessage(), e);
        }
    }

    /** The store under a Ferry data directory. */
    public static OutcomeStore inDataDir(Path dataDir, Clock clock) {
        return new OutcomeStore(dataDir.resolve("outcomes"), clock);
    }

    public Path directory() {
        return dir;
    }

    /** Stores one batch as one new file, atomically; returns the file, or nothing for an empty batch. */
    public synchronized Optional<Path> append(List<JoinedOutcome> batch) {
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        String name = "joined-" + STAMP.format(clock.instant()) + "-" + (sequence++) + ".jsonl";
        Path target = dir.resolve(name);
        Path tmp = dir.resolve("." + name + ".tmp");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (JoinedOutcome j : batch) {
                    w.write(JSON.writeValueAsString(toMap(j)));
                    w.write('\n');
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is hidden and never read; a later run overwrites nothing of it
            }
            throw new UnavailableException("outcomes could not be stored in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Every stored joined outcome, later ingestions replacing earlier ones for the same prediction. */
    public List<JoinedOutcome> readAll() {
        Map<String, JoinedOutcome> byKey = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("joined-") && p.getFileName().toString().endsWith(".jsonl"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UnavailableException("outcome store " + dir + " cannot be listed: " + e.getMessage(), e);
        }
        for (Path f : files) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (!line.isBlank()) {
                        JoinedOutcome j = fromMap(JSON.readValue(line, MAP), f + " line " + n);
                        byKey.remove(j.key());
                        byKey.put(j.key(), j);
                    }
                }
            } catch (IOException e) {
                throw new UnavailableException("outcome store file " + f + " cannot be read: " + e.getMessage(), e);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static Map<String, Object> toMap(JoinedOutcome j) {
        LoggedPrediction p = j.prediction();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT_VERSION);
        m.put("request_id", p.requestId());
        m.put("predicted_at", p.at().toString());
        m.put("observed_at", j.observedAt().toString());
        m.put("deployment", p.deployment());
        m.put("arm", p.arm());
        m.put("model", p.model());
        m.put("version", p.version());
        m.put("shadow", p.shadow());
        m.put("label", j.label());
        m.put("entity", p.entity());
        m.put("features", p.features());
        m.put("output", p.output());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static JoinedOutcome fromMap(Map<String, Object> m, String where) {
        Object format = m.get("format");
        if (!(format instanceof Number n) || n.intValue() != FORMAT_VERSION) {
            throw new InvalidInputException("outcome store " + where + ": format was " + format + " but only version "
                    + FORMAT_VERSION + " is understood");
        }
        LoggedPrediction p = new LoggedPrediction((String) m.get("request_id"), Instant.parse((String) m.get("predicted_at")),
                (String) m.get("deployment"), (String) m.get("arm"), (String) m.get("model"),
                ((Number) m.get("version")).intValue(), Boolean.TRUE.equals(m.get("shadow")),
                (Map<String, Object>) m.get("entity"), (Map<String, Object>) m.get("features"),
                (Map<String, Object>) m.get("output"));
        return new JoinedOutcome(p, Instant.parse((String) m.get("observed_at")), ((Number) m.get("label")).doubleValue());
    }
}
