package dev.ferry.quality;

import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The durable record of every quality run: {@code <dir>/<target>/run-<seq>.json}, one JSON file
 * per target and run, numbered in order. A file is written under a temporary name and renamed, so
 * a crash never leaves half a run, and a run number is never taken twice. The data directory's
 * history is {@code <data-dir>/quality/history} ({@link #inDataDir}).
 */
public final class QualityHistory {

    private static final Pattern RUN_FILE = Pattern.compile("run-(\\d+)\\.json");

    private final Path dir;

    private QualityHistory(Path dir) {
        this.dir = dir;
    }

    public static QualityHistory open(Path dir) {
        return new QualityHistory(dir);
    }

    public static QualityHistory inDataDir(Path dataDir) {
        return new QualityHistory(dataDir.resolve("quality").resolve("history"));
    }

    /** A point of a metric's trend: the run's time and the value (empty when that run had none). */
    public record Point(java.time.Instant at, OptionalDouble value, boolean passed) {
    }

    /** Every recorded run of {@code target}, oldest first. */
    public List<QualityRun> runs(String target) {
        List<QualityRun> out = new ArrayList<>();
        for (Path f : files(target)) {
            try {
                out.add(RunJson.read(RunJson.MAPPER.readTree(f.toFile()), f.toString()));
            } catch (IOException e) {
                throw new InvalidInputException("quality history file " + f + " is not valid JSON: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The last {@code n} runs of {@code target}, oldest first. */
    public List<QualityRun> last(String target, int n) {
        List<QualityRun> all = runs(target);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /** A metric ({@link Metrics#value}) over every recorded run of {@code target}, oldest first. */
    public List<Point> trend(String target, String metric) {
        return runs(target).stream().map(r -> new Point(r.at(), r.metrics().value(metric), r.passed())).toList();
    }

    /** Appends a run; returns the file it was written to. */
    public Path record(QualityRun run) {
        Path tdir = dir.resolve(run.target());
        Path tmp = null;
        try {
            Files.createDirectories(tdir);
            tmp = Files.createTempFile(tdir, ".tmp-", ".json");
            RunJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), RunJson.write(run));
            long seq = nextSeq(run.target());
            while (true) {
                Path file = tdir.resolve(String.format("run-%06d.json", seq));
                try {
                    moveNoReplace(tmp, file);
                    return file;
                } catch (FileAlreadyExistsException e) {
                    seq++;
                }
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UnavailableException("quality history " + tdir + " could not be written: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The write already failed; a leftover .tmp- file is skipped by every reader.
            }
        }
    }

    /**
     * Publishes the finished temporary file under its run name. A hard link is atomic and fails
     * when the name is taken, so two writers never share a run number; where links are not
     * supported the file is moved.
     */
    private static void moveNoReplace(Path tmp, Path file) throws IOException {
        try {
            Files.createLink(file, tmp);
            Files.delete(tmp);
        } catch (UnsupportedOperationException e) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(tmp, file);
        }
    }

    private long nextSeq(String target) {
        List<Path> files = files(target);
        if (files.isEmpty()) {
            return 1;
        }
        return seq(files.get(files.size() - 1)) + 1;
    }

    private static long seq(Path f) {
        Matcher m = RUN_FILE.matcher(f.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    private List<Path> files(String target) {
        Path tdir = dir.resolve(target);
        if (!Files.isDirectory(tdir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tdir)) {
            return s.filter(p -> RUN_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted(java.util.Comparator.comparingLong(QualityHistory::seq)).toList();
        } catch (IOException e) {
            throw new UnavailableException("quality history " + tdir + " could not be listed: " + e.getMessage(), e);
        }
    }
}
