package dev.ferry.registry.file;

import dev.ferry.ConflictException;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.json.RegistryJson;
import dev.ferry.registry.store.ArtifactStore;
import dev.ferry.registry.store.AtomicFiles;
import dev.ferry.registry.store.Registration;
import dev.ferry.registry.store.RegistryNames;
import dev.ferry.registry.store.VersionRefs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded registry: one directory, no server. Versions are immutable JSON files, each
 * alias move is one immutable event file (the current aliases are replayed from them), and
 * artifacts are content-addressed. Writers hold a file lock, so several processes and threads
 * may share a directory; use the PostgreSQL registry when several machines must share one.
 *
 * <pre>
 * registry.json                          layout marker with its formatVersion
 * artifacts/sha256/ab/abcdef...&lt;.ext&gt;     artifacts by content
 * models/&lt;name&gt;/versions/000001.json       one file per version
 * models/&lt;name&gt;/alias-events/00000001.json one file per alias move, append-only
 * </pre>
 */
public final class FileModelRegistry implements ModelRegistry {

    private static final Pattern VERSION_FILE = Pattern.compile("(\\d{6,10})\\.json");
    private static final Pattern EVENT_FILE = Pattern.compile("(\\d{8,12})\\.json");

    private final Path root;
    private final Clock clock;
    private final ArtifactStore artifacts;
    private final DirectoryLock lock;
    // Version and alias-event files are written once, atomically, under a fresh number, so each is
    // parsed once. A version file changed by hand (another size or modification time) is parsed
    // again; alias events, an append-only history nobody edits, are not checked one by one: the
    // alias log below notices a history replaced as a whole and forgets its parsed files.
    private final ParsedFiles<ModelVersion> parsedVersions = new ParsedFiles<>(RegistryJson::readVersion, true);
    private final ParsedFiles<AliasEvent> parsedEvents = new ParsedFiles<>(RegistryJson::readAliasEvent, false);
    // The replayed alias history of each model. Event files are numbered 1, 2, 3... with no gap
    // (each is written under the lock with the next number), so a history that ends at event n is
    // current while file n is the same file and file n + 1 does not exist, and one that has grown
    // is brought up to date by reading files n + 1, n + 2... until one is missing: two stat calls
    // per resolution, not a listing of a directory that grows by one file per alias move.
    private final Map<String, AliasLog> aliasLogs = new java.util.concurrent.ConcurrentHashMap<>();

    private FileModelRegistry(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
        this.lock = DirectoryLock.of(root);
        this.artifacts = ArtifactStore.open(root.resolve("artifacts"));
    }

    /** Opens the registry in {@code root}, creating it if the directory is missing or empty. */
    public static FileModelRegistry open(Path root) {
        return open(root, Clock.systemUTC());
    }

    /** As {@link #open(Path)}, with the clock that stamps versions and alias moves. */
    public static FileModelRegistry open(Path root, Clock clock) {
        Path dir = root.toAbsolutePath().normalize();
        LayoutFile.initialize(dir);
        return new FileModelRegistry(dir, clock);
    }

    public Path root() {
        return root;
    }

    @Override
    public ModelVersion register(RegisterRequest request) {
        try (Registration reg = Registration.validate(request, artifacts)) {
            return lock.locked(() -> {
                Path dir = versionsDir(request.name());
                int next = lastNumber(dir, VERSION_FILE) + 1;
                ModelVersion v = reg.commit(next, clock.instant());
                AtomicFiles.write(dir.resolve(versionFileName(next)), RegistryJson.writeVersion(v));
                return v;
            });
        }
    }

    @Override
    public List<String> models() {
        Path models = root.resolve("models");
        List<String> names = new ArrayList<>();
        for (Path p : list(models)) {
            String n = p.getFileName().toString();
            if (Files.isDirectory(p) && lastNumber(p.resolve("versions"), VERSION_FILE) > 0) {
                names.add(n);
            }
        }
        Collections.sort(names);
        return names;
    }

    @Override
    public List<ModelVersion> versions(String name) {
        Path dir = versionsDir(name);
        List<ModelVersion> out = new ArrayList<>();
        for (Path p : numbered(dir, VERSION_FILE).values()) {
            out.add(readVersion(p));
        }
        if (out.isEmpty()) {
            throw unknownModel(name);
        }
        return out;
    }

    @Override
    public ModelVersion version(String name, int version) {
        RegistryNames.checkVersion(version);
        Path file = versionsDir(name).resolve(versionFileName(version));
        if (!Files.isRegularFile(file)) {
            int last = lastNumber(versionsDir(name), VERSION_FILE);
            if (last == 0) {
                throw unknownModel(name);
            }
            throw new NotFoundException("model '" + name + "' has no version " + version + "; its versions are 1 to " + last);
        }
        return readVersion(file);
    }

    @Override
    public ModelVersion resolve(String name, String versionOrAlias) {
        return VersionRefs.resolve(this, name, versionOrAlias);
    }

    @Override
    public Path artifact(ModelVersion version) {
        return artifacts.verify(version);
    }

    @Override
    public Map<String, Integer> aliases(String name) {
        requireModel(name);
        return aliasLog(name).aliases();
    }

    @Override
    public AliasEvent setAlias(String name, String alias, int version, String actor, String reason) {
        RegistryNames.checkAlias(alias);
        version(name, version);
        return lock.locked(() -> {
            Integer from = aliases(name).get(alias);
            if (from != null && from == version) {
                return lastEvent(name, alias);
            }
            return append(new AliasEvent(name, alias, from, version, actorOrUnknown(actor),
                    clock.instant().truncatedTo(ChronoUnit.MICROS), reason == null ? "" : reason));
        });
    }

    @Override
    public AliasEvent rollback(String name, String alias, String actor) {
        RegistryNames.checkAlias(alias);
        requireModel(name);
        return lock.locked(() -> {
            AliasEvent last = lastEvent(name, alias);
            if (last.fromVersion() == null) {
                throw new ConflictException("alias '" + alias + "' of model '" + name + "' cannot be rolled back: it was created at version "
                        + last.toVersion() + " and has no previous version");
            }
            return append(new AliasEvent(name, alias, last.toVersion(), last.fromVersion(), actorOrUnknown(actor),
                    clock.instant().truncatedTo(ChronoUnit.MICROS), "rollback"));
        });
    }

    @Override
    public List<AliasEvent> aliasHistory(String name) {
        requireModel(name);
        return events(name);
    }

    @Override
    public void close() {
        // Nothing is held open between calls: each write takes and releases the lock.
    }

    private AliasEvent lastEvent(String name, String alias) {
        List<AliasEvent> all = events(name);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).alias().equals(alias)) {
                return all.get(i);
            }
        }
        throw new NotFoundException("model '" + name + "' has no alias '" + alias + "' (its aliases: " + aliases(name).keySet() + ")");
    }

    /** Writes the next event file; called under the lock, so no other writer takes the number. */
    private AliasEvent append(AliasEvent e) {
        Path dir = eventsDir(e.model());
        int next = aliasLog(e.model()).last() + 1;
        AtomicFiles.write(dir.resolve(eventFileName(next)), RegistryJson.writeAliasEvent(e));
        return e;
    }

    private List<AliasEvent> events(String name) {
        return aliasLog(name).events();
    }

    private AliasLog aliasLog(String name) {
        Path dir = eventsDir(name);
        AliasLog known = aliasLogs.get(name);
        if (known != null) {
            if (known.lastUnchanged(dir)) {
                // the same history, perhaps with more moves: read only the files after its last
                List<AliasEvent> more = new ArrayList<>();
                int n = known.last() + 1;
                for (Path next; Files.exists(next = dir.resolve(eventFileName(n))); n++) {
                    more.add(parsedEvents.get(next));
                }
                if (more.isEmpty()) {
                    return known;
                }
                AliasLog log = known.extend(n - 1, fileKey(dir.resolve(eventFileName(n - 1))), more);
                aliasLogs.put(name, log);
                return log;
            }
            // not more moves but another history (a restore): its files are parsed afresh
            parsedEvents.forgetUnder(dir);
        }
        List<AliasEvent> events = new ArrayList<>();
        int last = 0;
        for (Map.Entry<Integer, Path> f : numbered(dir, EVENT_FILE).entrySet()) {
            events.add(parsedEvents.get(f.getValue()));
            last = f.getKey();
        }
        AliasLog log = new AliasLog(0, null, List.of(), Map.of())
                .extend(last, last == 0 ? null : fileKey(dir.resolve(eventFileName(last))), events);
        aliasLogs.put(name, log);
        return log;
    }

    private static String eventFileName(int number) {
        return paddedFileName(number, 8);
    }

    private static String versionFileName(int number) {
        return paddedFileName(number, 6);
    }

    /** {@code number} zero-padded to {@code width} digits, then {@code .json}: what {@code %0<width>d.json} gives, without a Formatter. */
    static String paddedFileName(int number, int width) {
        String digits = Integer.toString(number);
        return "0".repeat(Math.max(0, width - digits.length())) + digits + ".json";
    }

    /** The identity of a file (device and inode where the file system has them), or null if it is gone. */
    private static Object fileKey(Path file) {
        try {
            var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A model's alias history replayed up to event {@code last} ({@code 0}: none), and the identity
     * of that event's file, so a directory emptied and written again is not mistaken for this one.
     */
    private record AliasLog(int last, Object lastKey, List<AliasEvent> events, Map<String, Integer> aliases) {

        /** This history with {@code more} events after it, replaying only those onto its aliases. */
        AliasLog extend(int newLast, Object newLastKey, List<AliasEvent> more) {
            Map<String, Integer> current = new TreeMap<>(aliases);
            for (AliasEvent e : more) {
                if (e.toVersion() == null) {
                    current.remove(e.alias());
                } else {
                    current.put(e.alias(), e.toVersion());
                }
            }
            List<AliasEvent> all = new ArrayList<>(events);
            all.addAll(more);
            return new AliasLog(newLast, newLastKey, List.copyOf(all), Collections.unmodifiableMap(current));
        }

        boolean lastUnchanged(Path dir) {
            return last == 0 || java.util.Objects.equals(lastKey, fileKey(dir.resolve(eventFileName(last))));
        }
    }

    private static String actorOrUnknown(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor;
    }

    /** Versions are numbered from 1 with no gap, so a model exists if its version 1 does. */
    private void requireModel(String name) {
        if (!Files.isRegularFile(versionsDir(name).resolve(versionFileName(1)))) {
            throw unknownModel(name);
        }
    }

    private NotFoundException unknownModel(String name) {
        List<String> known = models();
        return new NotFoundException("model '" + name + "' is not registered in " + root
                + (known.isEmpty() ? " (the registry is empty)" : " (models: " + known + ")"));
    }

    private Path versionsDir(String name) {
        return root.resolve("models").resolve(RegistryNames.checkModel(name)).resolve("versions");
    }

    private Path eventsDir(String name) {
        return root.resolve("models").resolve(RegistryNames.checkModel(name)).resolve("alias-events");
    }

    private ModelVersion readVersion(Path file) {
        return parsedVersions.get(file);
    }

    /** Parsed immutable files by path, checked against the file's size and modification time. */
    private static final class ParsedFiles<T> {

        private record Entry<T>(java.nio.file.attribute.FileTime modified, long size, T value) {
        }

        private final java.util.function.BiFunction<byte[], String, T> parser;
        private final boolean checkChanges;
        private final Map<Path, Entry<T>> entries = new java.util.concurrent.ConcurrentHashMap<>();

        ParsedFiles(java.util.function.BiFunction<byte[], String, T> parser, boolean checkChanges) {
            this.parser = parser;
            this.checkChanges = checkChanges;
        }

        T get(Path file) {
            if (!checkChanges) {
                Entry<T> known = entries.get(file);
                if (known != null) {
                    return known.value();
                }
            }
            java.nio.file.attribute.BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            } catch (IOException e) {
                throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
            }
            Entry<T> e = entries.get(file);
            if (e != null && e.modified().equals(attributes.lastModifiedTime()) && e.size() == attributes.size()) {
                return e.value();
            }
            T value = parser.apply(read(file), file.toString());
            entries.put(file, new Entry<>(attributes.lastModifiedTime(), attributes.size(), value));
            return value;
        }

        void forgetUnder(Path dir) {
            entries.keySet().removeIf(p -> p.startsWith(dir));
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int lastNumber(Path dir, Pattern pattern) {
        TreeMap<Integer, Path> all = numbered(dir, pattern);
        return all.isEmpty() ? 0 : all.lastKey();
    }

    /** The record files of a directory by number; temporary files never match the pattern. */
    private static TreeMap<Integer, Path> numbered(Path dir, Pattern pattern) {
        TreeMap<Integer, Path> out = new TreeMap<>();
        for (Path p : list(dir)) {
            Matcher m = pattern.matcher(p.getFileName().toString());
            if (m.matches()) {
                out.put(Integer.parseInt(m.group(1)), p);
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UnavailableException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The {@code registry.json} marker: refuses a directory written by an unknown layout version. */
    static final class LayoutFile {

        static final int LAYOUT_VERSION = 1;

        private LayoutFile() {
        }

        static void initialize(Path dir) {
            Path marker = dir.resolve("registry.json");
            try {
                if (Files.isRegularFile(marker)) {
                    check(marker);
                    return;
                }
                if (Files.exists(dir) && !Files.isDirectory(dir)) {
                    throw new InvalidInputException("registry path " + dir + " is a file but it must be a directory");
                }
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> s = Files.list(dir)) {
                        if (s.anyMatch(p -> !p.getFileName().toString().startsWith("."))) {
                            throw new InvalidInputException("directory " + dir + " is not a Ferry registry (it has no registry.json) and is not empty;"
                                    + " expected an empty or missing directory, or an existing registry");
                        }
                    }
                }
                Files.createDirectories(dir);
                DirectoryLock.of(dir).locked(() -> {
                    if (!Files.isRegularFile(marker)) {
                        AtomicFiles.write(marker, ("{\n  \"formatVersion\" : " + LAYOUT_VERSION + ",\n  \"kind\" : \"ferry-file-registry\"\n}\n")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                    return null;
                });
            } catch (IOException e) {
                throw new UnavailableException("cannot open the registry directory " + dir + ": " + e.getMessage(), e);
            }
        }

        private static void check(Path marker) throws IOException {
            var node = RegistryJson.mapper().readTree(Files.readAllBytes(marker));
            var v = node == null ? null : node.get("formatVersion");
            if (v == null || !v.canConvertToInt() || v.intValue() != LAYOUT_VERSION) {
                throw new InvalidInputException(marker + " has formatVersion " + v + " but this Ferry reads only registry layout formatVersion "
                        + LAYOUT_VERSION);
            }
        }
    }
}
