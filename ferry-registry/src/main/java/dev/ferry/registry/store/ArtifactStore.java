package dev.ferry.registry.store;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.ValidationFailedException;
import dev.ferry.registry.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A directory of model artifacts addressed by their SHA-256 ({@code sha256/ab/abcdef....ext}),
 * shared by every registry backend. Files are staged (copied and hashed) before validation and
 * moved into place atomically only after it passed, so a failed registration leaves nothing
 * behind; every read re-hashes the file, so a tampered or truncated artifact never loads.
 */
public final class ArtifactStore {

    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,12}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    private ArtifactStore(Path root) {
        this.root = root;
    }

    /** Opens (creating if needed) the artifact directory {@code root}. */
    public static ArtifactStore open(Path root) {
        try {
            Files.createDirectories(root.resolve("sha256"));
            Files.createDirectories(root.resolve("staging"));
        } catch (IOException e) {
            throw new UnavailableException("cannot create the artifact directory " + root + ": " + e.getMessage(), e);
        }
        return new ArtifactStore(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /**
     * Copies {@code source} into the staging area, hashing it on the way. The copy keeps the
     * original file name because runtimes tell formats apart by extension (XGBoost JSON vs UBJ).
     */
    public Staged stage(Path source) {
        if (!Files.isRegularFile(source)) {
            throw new NotFoundException("model artifact " + source + " does not exist or is not a regular file");
        }
        String fileName = source.getFileName().toString();
        Path dir = root.resolve("staging").resolve(UUID.randomUUID().toString());
        Path copy = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            MessageDigest digest = sha256();
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
                 OutputStream out = Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                size = in.transferTo(out);
            }
            AtomicFiles.fsync(copy);
            return new Staged(this, dir, copy, HexFormat.of().formatHex(digest.digest()), size, fileName);
        } catch (IOException e) {
            AtomicFiles.deleteTree(dir);
            throw new UnavailableException("cannot copy the model artifact " + source + " into " + root + ": " + e.getMessage(), e);
        }
    }

    /** Where the artifact with this hash and original file name lives (whether or not it exists). */
    public Path pathOf(String sha256, String fileName) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new InvalidInputException("artifact hash was '" + sha256 + "' but it must be 64 lower-case hex digits");
        }
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256 + extension(fileName));
    }

    /**
     * The artifact of {@code version}, re-hashed now: a missing, truncated or altered file is a
     * {@link ValidationFailedException} naming the file, the expected and the found hash.
     */
    public Path verify(ModelVersion version) {
        Path file = pathOf(version.sha256(), version.fileName());
        if (!Files.isRegularFile(file)) {
            throw new ValidationFailedException("artifact of " + version.ref() + " is missing: expected the file " + file
                    + " with SHA-256 " + version.sha256());
        }
        String found;
        long size;
        try {
            size = Files.size(file);
            found = hash(file);
        } catch (IOException e) {
            throw new UnavailableException("cannot read the artifact " + file + " of " + version.ref() + ": " + e.getMessage(), e);
        }
        if (!found.equals(version.sha256())) {
            throw new ValidationFailedException("artifact " + file + " of " + version.ref() + " has SHA-256 " + found
                    + " but expected " + version.sha256() + " (size " + size + " bytes, expected " + version.sizeBytes()
                    + "): it was altered or truncated after registration");
        }
        return file;
    }

    static String hash(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String extension(String fileName) {
        int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
        if (dot < 0) {
            return "";
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return EXTENSION.matcher(ext).matches() ? "." + ext : "";
    }

    /**
     * An artifact copied and hashed but not yet in the store. {@link #commit} moves it into
     * place; {@link #close} without a commit deletes it.
     */
    public static final class Staged implements AutoCloseable {

        private final ArtifactStore store;
        private final Path dir;
        private final Path path;
        private final String sha256;
        private final long size;
        private final String fileName;
        private boolean committed;

        Staged(ArtifactStore store, Path dir, Path path, String sha256, long size, String fileName) {
            this.store = store;
            this.dir = dir;
            this.path = path;
            this.sha256 = sha256;
            this.size = size;
            this.fileName = fileName;
        }

        /** The staged copy; load and validate this one, never the caller's original. */
        public Path path() {
            return path;
        }

        public String sha256() {
            return sha256;
        }

        public long size() {
            return size;
        }

        public String fileName() {
            return fileName;
        }

        /**
         * Moves the copy to its content address. An existing file with the right content is
         * kept; one with the wrong content (damaged earlier) is replaced.
         */
        public Path commit() {
            Path target = store.pathOf(sha256, fileName);
            try {
                if (Files.isRegularFile(target) && hash(target).equals(sha256)) {
                    committed = true;
                    AtomicFiles.deleteTree(dir);
                    return target;
                }
                Files.createDirectories(target.getParent());
                try {
                    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new UnavailableException("the artifact directory " + store.root + " does not support atomic renames", e);
                }
                AtomicFiles.fsyncDirectory(target.getParent());
                committed = true;
                AtomicFiles.deleteTree(dir);
                return target;
            } catch (IOException e) {
                throw new UnavailableException("cannot move the artifact into " + target + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (!committed) {
                AtomicFiles.deleteTree(dir);
            }
        }
    }
}
