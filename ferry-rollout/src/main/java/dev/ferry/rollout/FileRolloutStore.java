package dev.ferry.rollout;

import dev.ferry.ConflictException;
import dev.ferry.UnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Rollouts as one JSON file each in a directory (the server's data dir by default), written to a
 * temporary file, forced to disk and moved into place, so a crash leaves the old state or the
 * new one, never half of one. Every operation holds a lock file, so commands from another process
 * on the same directory wait their turn; leases are files beside the states. For several servers
 * on different machines use {@link PostgresRolloutStore}.
 */
public final class FileRolloutStore implements RolloutStore {

    private final Path dir;

    private FileRolloutStore(Path dir) {
        this.dir = dir;
    }

    public static FileRolloutStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UnavailableException("rollout directory " + dir + " cannot be created: " + e.getMessage(), e);
        }
        return new FileRolloutStore(dir);
    }

    private interface Locked<T> {
        T run() throws IOException;
    }

    private synchronized <T> T locked(Locked<T> body) {
        try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            return body.run();
        } catch (IOException e) {
            throw new UnavailableException("rollout directory " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public RolloutState create(RolloutState state) {
        return locked(() -> {
            for (RolloutState s : readAll()) {
                if (s.id().equals(state.id())) {
                    throw new ConflictException("rollout '" + state.id() + "' already exists");
                }
                if (!s.stage().terminal() && s.plan().deployment().equals(state.plan().deployment())) {
                    throw new ConflictException("deployment '" + state.plan().deployment() + "' already has the active rollout '"
                            + s.id() + "' (" + s.label() + "); abort it or wait for it to end");
                }
            }
            RolloutState stored = state.withRevision(1);
            write(file(state.id()), RolloutJson.write(stored).toString());
            return stored;
        });
    }

    @Override
    public Optional<RolloutState> get(String id) {
        return locked(() -> read(file(id)));
    }

    @Override
    public List<RolloutState> list() {
        return locked(() -> {
            List<RolloutState> all = readAll();
            all.sort(Comparator.comparing(RolloutState::createdAt).thenComparing(RolloutState::id).reversed());
            return all;
        });
    }

    @Override
    public Optional<RolloutState> update(RolloutState next) {
        return locked(() -> {
            Optional<RolloutState> current = read(file(next.id()));
            if (current.isEmpty() || current.get().revision() != next.revision()) {
                return Optional.empty();
            }
            RolloutState stored = next.withRevision(next.revision() + 1);
            write(file(next.id()), RolloutJson.write(stored).toString());
            return Optional.of(stored);
        });
    }

    @Override
    public boolean lease(String id, String owner, Instant now, Duration ttl) {
        return locked(() -> {
            Path f = file(id).resolveSibling(id + ".lease");
            if (Files.exists(f)) {
                String[] holder = Files.readString(f, StandardCharsets.UTF_8).split("\n");
                if (!holder[0].equals(owner) && Instant.parse(holder[1]).isAfter(now)) {
                    return false;
                }
            }
            write(f, owner + "\n" + now.plus(ttl) + "\n");
            return true;
        });
    }

    @Override
    public void release(String id, String owner) {
        locked(() -> {
            Path f = dir.resolve(id + ".lease");
            if (Files.exists(f) && Files.readString(f, StandardCharsets.UTF_8).split("\n")[0].equals(owner)) {
                Files.delete(f);
            }
            return null;
        });
    }

    @Override
    public void report(String id, TrafficReport report) {
        locked(() -> {
            write(file(id).resolveSibling(id + ".traffic." + report.owner().replaceAll("[^A-Za-z0-9_.\\-]", "_") + ".report"),
                    RolloutJson.writeReport(report));
            return null;
        });
    }

    @Override
    public List<TrafficReport> reports(String id, String stage, Instant since) {
        file(id);
        return locked(() -> {
            List<TrafficReport> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(p -> p.getFileName().toString().startsWith(id + ".traffic.")
                        && p.getFileName().toString().endsWith(".report")).toList()) {
                    TrafficReport r = RolloutJson.readReport(Files.readString(p, StandardCharsets.UTF_8));
                    if (r.stage().equals(stage) && !r.at().isBefore(since)) {
                        out.add(r);
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
    }

    private Path file(String id) {
        RolloutEngine.checkId(id);
        return dir.resolve(id + ".json");
    }

    private List<RolloutState> readAll() throws IOException {
        List<RolloutState> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                read(p).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<RolloutState> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(RolloutJson.read(Files.readString(file, StandardCharsets.UTF_8)));
    }

    private void write(Path target, String text) throws IOException {
        Path tmp = Files.createTempFile(dir, ".tmp-", ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
