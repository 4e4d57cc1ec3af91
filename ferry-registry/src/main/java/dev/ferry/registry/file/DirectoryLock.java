package dev.ferry.registry.file;

import dev.ferry.UnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes writers of one registry directory: a JVM-wide lock per directory (a file lock
 * cannot be taken twice by one JVM) and, under it, an OS file lock on {@code .lock} that other
 * processes honour. Readers take no lock: every record is written by an atomic rename.
 */
final class DirectoryLock {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private final Path dir;
    private final ReentrantLock local;

    private DirectoryLock(Path dir, ReentrantLock local) {
        this.dir = dir;
        this.local = local;
    }

    static DirectoryLock of(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        return new DirectoryLock(key, IN_JVM.computeIfAbsent(key, k -> new ReentrantLock()));
    }

    <T> T locked(Supplier<T> action) {
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return action.get();
            }
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return action.get();
            } catch (IOException e) {
                throw new UnavailableException("cannot lock the registry directory " + dir + ": " + e.getMessage(), e);
            }
        } finally {
            local.unlock();
        }
    }
}
