package dev.ferry.batch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.UnavailableException;
import dev.ferry.ValidationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The durable record of scheduled runs: one JSON file per run under
 * {@code <dir>/<schedule>/<runId>.json}, written to a temporary file and moved into place, so a
 * reader never sees half a record. Records carry a format version; a record of another version is refused.
 */
public final class RunHistory {

    /** The record format this Ferry writes and reads. */
    public static final int FORMAT = 1;

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private RunHistory(Path dir) {
        this.dir = dir;
    }

    /** The history kept in {@code dir} (usually {@code <data-dir>/batch/runs}). */
    public static RunHistory in(Path dir) {
        return new RunHistory(dir);
    }

    /** Writes (or rewrites) a record atomically. */
    public void put(RunRecord r) {
        Path target = dir.resolve(r.schedule()).resolve(r.runId() + ".json");
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            json.writeValue(temp.toFile(), r);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UnavailableException("run record " + target + " could not be written: " + e.getMessage(), e);
        }
    }

    /** Every record of {@code schedule}, oldest fire time first. */
    public List<RunRecord> list(String schedule) {
        Path d = dir.resolve(schedule);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<RunRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                RunRecord r = json.readValue(f.toFile(), RunRecord.class);
                if (r.format() != FORMAT) {
                    throw new ValidationFailedException("run record " + f + " has format " + r.format() + " but this Ferry reads format " + FORMAT);
                }
                out.add(r);
            }
        } catch (IOException e) {
            throw new UnavailableException("run records in " + d + " could not be read: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(RunRecord::scheduledFor).thenComparing(RunRecord::start));
        return out;
    }

    /** The latest fire time any record of {@code schedule} is for: where a restarted scheduler resumes. */
    public Optional<java.time.Instant> lastScheduled(String schedule) {
        List<RunRecord> all = list(schedule);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).scheduledFor());
    }
}
