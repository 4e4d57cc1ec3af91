package dev.ferry.pipeline.runs;

import dev.ferry.UnavailableException;
import dev.ferry.registry.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Run records as JSON files, {@code <dir>/<run id>.json}, each written to a temporary file and
 * renamed, so a crash leaves the previous complete record. The embedded default, in
 * {@code <data-dir>/runs}.
 */
public final class FileRunStore implements RunStore {

    private final Path dir;

    private FileRunStore(Path dir) {
        this.dir = dir;
    }

    public static FileRunStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UnavailableException("run directory " + dir + " could not be created: " + e.getMessage(), e);
        }
        return new FileRunStore(dir);
    }

    @Override
    public void save(RunRecord run) {
        RunIds.check(run.id());
        AtomicFiles.write(dir.resolve(run.id() + ".json"), RunJson.write(run));
    }

    @Override
    public Optional<RunRecord> find(String id) {
        RunIds.check(id);
        Path f = dir.resolve(id + ".json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunJson.read(Files.readAllBytes(f), f.toString()));
        } catch (IOException e) {
            throw new UnavailableException("run record " + f + " could not be read: " + e.getMessage(), e);
        }
    }

    @Override
    public List<RunRecord> list() {
        List<RunRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).toList()) {
                out.add(RunJson.read(Files.readAllBytes(f), f.toString()));
            }
        } catch (IOException e) {
            throw new UnavailableException("run directory " + dir + " could not be listed: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(RunRecord::startedAt).thenComparing(RunRecord::id).reversed());
        return out;
    }

    @Override
    public void close() {
        // nothing held open
    }
}
