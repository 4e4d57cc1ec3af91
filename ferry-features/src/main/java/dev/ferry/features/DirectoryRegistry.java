package dev.ferry.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded registry: {@code entities/<name>.json}, {@code services/<name>.json} and
 * {@code views/<name>/v<version>.json}, each a JSON document with a format version. Files are
 * written to a temporary name and renamed, so a crash never leaves half a definition. An apply
 * holds a lock file ({@code .apply.lock}, an OS file lock) so two processes applying at once
 * cannot interleave their versions; readers need no lock because every file appears whole.
 * A pruned view keeps its version files and gains a {@code removed.json} marker; a pruned
 * entity or service moves to {@code .removed/} in its folder.
 */
final class DirectoryRegistry implements FeatureRegistry {

    static final int FORMAT = 1;
    /** One lock per registry directory in this JVM; the file lock covers other processes. */
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.json");

    private final Path dir;
    private final SourceInspector inspector;
    private final Clock clock;

    DirectoryRegistry(Path dir, SourceInspector inspector, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.inspector = inspector;
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            Files.createDirectories(dir.resolve("views"));
            Files.createDirectories(dir.resolve("entities"));
            Files.createDirectories(dir.resolve("services"));
        } catch (IOException e) {
            throw new InternalFailure("registry directory " + dir + " could not be created: " + e.getMessage(), e);
        }
    }

    @Override
    public ApplyResult apply(FeatureRepository repository, boolean prune) {
        List<Problem> problems = new ArrayList<>(repository.validate(inspector));
        checkPinnedRefs(repository, problems);
        if (!problems.isEmpty()) {
            throw FeatureRepository.failure(problems);
        }
        ReentrantLock local = LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), k -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(dir.resolve(".apply.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return applyLocked(repository, prune);
        } catch (IOException e) {
            throw new InternalFailure("registry " + dir + " could not be locked for apply: " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    private ApplyResult applyLocked(FeatureRepository repository, boolean prune) {
        Instant now = clock.instant();
        List<ApplyResult.Change> changes = new ArrayList<>();
        for (Entity e : repository.entities()) {
            changes.add(putSimple("entity", e.name(), DefinitionJson.entity(e), entity(e.name()).map(DefinitionJson::entity), now));
        }
        for (FeatureView v : repository.views()) {
            changes.add(putView(v, now));
        }
        for (FeatureService s : repository.services()) {
            changes.add(putSimple("service", s.name(), DefinitionJson.service(s), service(s.name()).map(DefinitionJson::service), now));
        }
        Set<String> entities = repository.entities().stream().map(Entity::name).collect(Collectors.toSet());
        Set<String> views = repository.views().stream().map(FeatureView::name).collect(Collectors.toSet());
        Set<String> services = repository.services().stream().map(FeatureService::name).collect(Collectors.toSet());
        for (FeatureService s : services()) {
            if (!services.contains(s.name())) {
                changes.add(absent("service", s.name(), 0, prune ? () -> removeSimple("services", s.name(), now) : null));
            }
        }
        for (RegisteredView rv : views()) {
            if (!views.contains(rv.name())) {
                changes.add(absent("view", rv.name(), rv.version(), prune ? () -> write(removedMarker(rv.name()), envelope("removed", 0, now,
                        DefinitionJson.MAPPER.createObjectNode().put("last_version", rv.version()))) : null));
            }
        }
        for (Entity e : entities()) {
            if (!entities.contains(e.name())) {
                changes.add(absent("entity", e.name(), 0, prune ? () -> removeSimple("entities", e.name(), now) : null));
            }
        }
        return new ApplyResult(changes);
    }

    private static ApplyResult.Change absent(String kind, String name, int version, Runnable remove) {
        if (remove == null) {
            return new ApplyResult.Change(kind, name, ApplyResult.Action.KEPT, version, "not in this repository; --prune removes it");
        }
        remove.run();
        return new ApplyResult.Change(kind, name, ApplyResult.Action.REMOVED, version,
                version > 0 ? "pinned versions stay readable as " + name + "@" + version : "");
    }

    private void removeSimple(String folder, String name, Instant now) {
        Path from = dir.resolve(folder).resolve(name + ".json");
        Path to = dir.resolve(folder).resolve(".removed").resolve(name + "@" + now.toEpochMilli() + ".json");
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InternalFailure("registry file " + from + " could not be moved to " + to + ": " + e.getMessage(), e);
        }
    }

    private Path removedMarker(String view) {
        return dir.resolve("views").resolve(view).resolve("removed.json");
    }

    private Optional<Instant> removedAt(String view) {
        Path marker = removedMarker(view);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        return Optional.of(Instant.parse(read(marker, "removed").get("applied_at").asText()));
    }

    private void checkPinnedRefs(FeatureRepository repository, List<Problem> problems) {
        for (FeatureService s : repository.services()) {
            for (FeatureRef ref : s.features()) {
                if (ref.version().isPresent()) {
                    int v = ref.version().getAsInt();
                    boolean known = versions(ref.view()).stream().anyMatch(r -> r.version() == v);
                    if (!known) {
                        problems.add(Problem.at(repository.origin("service:" + s.name() + ".ref:" + ref, s.name()),
                                "service '" + s.name() + "' pins " + ref + " but view '" + ref.view() + "' has no version " + v
                                        + " in the registry (versions: " + versions(ref.view()).stream().map(RegisteredView::version).toList() + ")"));
                    }
                }
            }
        }
    }

    private ApplyResult.Change putSimple(String kind, String name, ObjectNode def, Optional<ObjectNode> existing, Instant now) {
        if (existing.isPresent() && existing.get().equals(def)) {
            return new ApplyResult.Change(kind, name, ApplyResult.Action.UNCHANGED, 0, "");
        }
        write(dir.resolve(kind.equals("entity") ? "entities" : "services").resolve(name + ".json"), envelope(kind, 0, now, def));
        return new ApplyResult.Change(kind, name, existing.isPresent() ? ApplyResult.Action.UPDATED : ApplyResult.Action.CREATED, 0, "");
    }

    private ApplyResult.Change putView(FeatureView v, Instant now) {
        List<RegisteredView> versions = versions(v.name());
        if (versions.isEmpty()) {
            write(viewFile(v.name(), 1), envelope("view", 1, now, DefinitionJson.view(v)));
            return new ApplyResult.Change("view", v.name(), ApplyResult.Action.CREATED, 1, "");
        }
        RegisteredView latest = versions.get(versions.size() - 1);
        String diff = diff(latest.view(), v);
        boolean restored = removedAt(v.name()).isPresent();
        if (restored) {
            try {
                Files.delete(removedMarker(v.name()));
            } catch (IOException e) {
                throw new InternalFailure("registry file " + removedMarker(v.name()) + " could not be deleted: " + e.getMessage(), e);
            }
        }
        if (diff.isEmpty()) {
            return new ApplyResult.Change("view", v.name(), restored ? ApplyResult.Action.RESTORED : ApplyResult.Action.UNCHANGED, latest.version(), "");
        }
        // Any change makes a new version: a training set pinned to an old version must read
        // the same source, max age and schema it read before.
        int next = latest.version() + 1;
        write(viewFile(v.name(), next), envelope("view", next, now, DefinitionJson.view(v)));
        return new ApplyResult.Change("view", v.name(), ApplyResult.Action.NEW_VERSION, next, restored ? "restored, " + diff : diff);
    }

    private static String diff(FeatureView a, FeatureView b) {
        List<String> parts = new ArrayList<>();
        if (!a.sameShape(b)) {
            parts.add("schema");
        }
        if (!a.source().equals(b.source())) {
            parts.add("source");
        }
        if (!a.maxAge().equals(b.maxAge())) {
            parts.add("max_age");
        }
        if (a.online() != b.online()) {
            parts.add("online");
        }
        if (!a.tags().equals(b.tags())) {
            parts.add("tags");
        }
        if (!a.description().equals(b.description())) {
            parts.add("description");
        }
        return String.join(", ", parts);
    }

    private ObjectNode envelope(String kind, int version, Instant now, ObjectNode def) {
        ObjectNode n = DefinitionJson.MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("kind", kind);
        if (version > 0) {
            n.put("version", version);
        }
        n.put("applied_at", now.toString());
        n.set("definition", def);
        return n;
    }

    private Path viewFile(String name, int version) {
        return dir.resolve("views").resolve(name).resolve("v" + version + ".json");
    }

    @Override
    public RegisteredView view(String ref) {
        FeatureRef r = FeatureRef.parse(ref);
        List<RegisteredView> versions = versions(r.view());
        if (versions.isEmpty()) {
            throw new NotFoundException("feature view '" + r.view() + "' is not in the registry " + dir
                    + " (views: " + views().stream().map(RegisteredView::name).toList() + ")");
        }
        if (r.version().isEmpty()) {
            Optional<Instant> removed = removedAt(r.view());
            if (removed.isPresent()) {
                throw new NotFoundException("feature view '" + r.view() + "' was removed from the registry at " + removed.get()
                        + "; its versions stay readable when pinned (" + r.view() + "@" + versions.get(versions.size() - 1).version() + ")");
            }
            return versions.get(versions.size() - 1);
        }
        int v = r.version().getAsInt();
        return versions.stream().filter(x -> x.version() == v).findFirst().orElseThrow(() -> new NotFoundException(
                "feature view '" + r.view() + "' has no version " + v + " (versions: " + versions.stream().map(RegisteredView::version).toList() + ")"));
    }

    @Override
    public List<RegisteredView> views() {
        List<RegisteredView> out = new ArrayList<>();
        for (String name : list(dir.resolve("views"), true)) {
            List<RegisteredView> v = versions(name);
            if (!v.isEmpty() && removedAt(name).isEmpty()) {
                out.add(v.get(v.size() - 1));
            }
        }
        return out;
    }

    @Override
    public List<RegisteredView> versions(String view) {
        Path vdir = dir.resolve("views").resolve(view);
        if (!Names.valid(view) || !Files.isDirectory(vdir)) {
            return List.of();
        }
        List<RegisteredView> out = new ArrayList<>();
        for (String f : list(vdir, false)) {
            Matcher m = VERSION_FILE.matcher(f);
            if (m.matches()) {
                JsonNode n = read(vdir.resolve(f), "view");
                out.add(new RegisteredView(DefinitionJson.view(n.get("definition")), n.get("version").asInt(),
                        Instant.parse(n.get("applied_at").asText())));
            }
        }
        out.sort(Comparator.comparingInt(RegisteredView::version));
        return out;
    }

    @Override
    public Optional<Entity> entity(String name) {
        return simple("entities", name).map(DefinitionJson::entity);
    }

    @Override
    public List<Entity> entities() {
        return list(dir.resolve("entities"), false).stream().filter(f -> f.endsWith(".json"))
                .map(f -> entity(f.substring(0, f.length() - 5)).orElseThrow()).toList();
    }

    @Override
    public Optional<FeatureService> service(String name) {
        return simple("services", name).map(DefinitionJson::service);
    }

    @Override
    public List<FeatureService> services() {
        return list(dir.resolve("services"), false).stream().filter(f -> f.endsWith(".json"))
                .map(f -> service(f.substring(0, f.length() - 5)).orElseThrow()).toList();
    }

    private Optional<JsonNode> simple(String folder, String name) {
        Path p = dir.resolve(folder).resolve(name + ".json");
        if (!Names.valid(name) || !Files.isRegularFile(p)) {
            return Optional.empty();
        }
        return Optional.of(read(p, folder.equals("entities") ? "entity" : "service").get("definition"));
    }

    private JsonNode read(Path file, String kind) {
        JsonNode n;
        try {
            n = DefinitionJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException("registry file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        int format = n.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new InvalidInputException("registry file " + file + " has format " + n.path("format")
                    + " but this version of Ferry reads format " + FORMAT);
        }
        if (!kind.equals(n.path("kind").asText())) {
            throw new InvalidInputException("registry file " + file + " has kind '" + n.path("kind").asText() + "' but '" + kind + "' was expected");
        }
        return n;
    }

    private static List<String> list(Path folder, boolean dirs) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> dirs == Files.isDirectory(p)).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new InternalFailure("registry folder " + folder + " could not be listed: " + e.getMessage(), e);
        }
    }

    static void write(Path file, JsonNode content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tmp-", ".json");
            DefinitionJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new InternalFailure("registry file " + file + " could not be written: " + e.getMessage(), e);
        }
    }
}
