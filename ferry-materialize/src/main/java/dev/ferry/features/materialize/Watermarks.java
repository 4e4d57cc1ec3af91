package dev.ferry.features.materialize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.ValidationFailedException;
import dev.ferry.online.OnlineStore;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The incremental-materialization watermarks, one small JSON file per online view in
 * {@code <registry dir>/materialization/<view>@<version>.json}, each carrying a format version.
 * Files are written to a temporary name and renamed, so a crash leaves the old watermark or the
 * new one, never half of one. A file of an unknown format is refused, not overwritten.
 */
public final class Watermarks {

    /** The format this Ferry writes and the only one it reads. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private Watermarks(Path dir) {
        this.dir = dir;
    }

    /** The watermarks kept beside the embedded feature registry in {@code registryDir}. */
    public static Watermarks in(Path registryDir) {
        return new Watermarks(registryDir.resolve("materialization"));
    }

    /** The directory the files live in. */
    public Path directory() {
        return dir;
    }

    /** The watermark of {@code view} ({@code name@version}), empty before its first incremental run. */
    public synchronized Optional<Watermark> get(String view) {
        Path file = file(view);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ValidationFailedException("watermark file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        int format = n.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new ValidationFailedException("watermark file " + file + " has format " + n.path("format")
                    + " but this Ferry reads format " + FORMAT + " (written by a newer Ferry?)");
        }
        try {
            return Optional.of(new Watermark(n.path("view").asText(), Instant.parse(n.path("watermark").asText()),
                    Instant.parse(n.path("updatedAt").asText()), n.path("rows").asLong()));
        } catch (DateTimeParseException e) {
            throw new ValidationFailedException("watermark file " + file + " has a time that is not ISO-8601: " + e.getParsedString(), e);
        }
    }

    /** Records {@code w}, replacing the previous watermark of its view atomically. */
    public synchronized void put(Watermark w) {
        Path file = file(w.view());
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("view", w.view());
        n.put("watermark", w.watermark().toString());
        n.put("updatedAt", w.updatedAt().toString());
        n.put("rows", w.rows());
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".watermark-", ".tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UnavailableException("watermark of " + w.view() + " could not be written to " + file + ": " + e.getMessage(), e);
        }
    }

    private Path file(String view) {
        if (view == null || !OnlineStore.VIEW_NAME.matcher(view).matches()) {
            throw new InvalidInputException("watermark view was '" + view + "' but it must be a name like 'credit_history@2'");
        }
        return dir.resolve(view + ".json");
    }
}
