package dev.ferry.pipeline;

import dev.ferry.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Step outputs stored by content: {@code <dir>/<first two hex>/<sha256>}. A file is copied to a
 * temporary name and renamed, so an object either is complete or is not there; storing the same
 * content twice keeps one copy. Cached steps point at these objects.
 */
public final class ObjectStore {

    private final Path dir;

    public ObjectStore(Path dir) {
        this.dir = dir;
    }

    /** Stores {@code file} and returns its SHA-256. */
    public String put(Path file) {
        String sha = Hashes.file(file);
        Path target = path(sha);
        if (Files.isRegularFile(target)) {
            return sha;
        }
        Path tmp = target.resolveSibling(".tmp-" + sha + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(target.getParent());
            Files.copy(file, tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is garbage either way
            }
            throw new UnavailableException("cannot store step output " + file + " in " + dir + ": " + e.getMessage(), e);
        }
        return sha;
    }

    /** Where the object with this hash is (or would be). */
    public Path path(String sha256) {
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean contains(String sha256) {
        return Files.isRegularFile(path(sha256));
    }
}
