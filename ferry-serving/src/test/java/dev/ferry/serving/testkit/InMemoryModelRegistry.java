package dev.ferry.serving.testkit;

import dev.ferry.ConflictException;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.Model;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelValidator;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.RegisterRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small, real {@link ModelRegistry} for tests: versions and aliases in memory, artifacts
 * copied into a directory under their SHA-256 and checked on every read.
 */
public final class InMemoryModelRegistry implements ModelRegistry {

    private final Path store;
    private final Clock clock;
    private final Map<String, List<ModelVersion>> versions = new TreeMap<>();
    private final Map<String, Map<String, Integer>> aliases = new TreeMap<>();
    private final Map<String, List<AliasEvent>> history = new TreeMap<>();
    /** Every reference {@link #resolve} was asked for, in order, for tests of what reads the registry. */
    public final List<String> resolved = new java.util.concurrent.CopyOnWriteArrayList<>();

    public InMemoryModelRegistry(Path store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public synchronized ModelVersion register(RegisterRequest r) {
        if (r.name() == null || !r.name().matches("[A-Za-z0-9_.\\-]+")) {
            throw new InvalidInputException("model name was '" + r.name() + "' but it must be letters, digits, '-', '_' or '.'");
        }
        Model model = ModelRuntimes.load(r.format(), new ModelLoadRequest(r.artifact(), r.signature(), Map.of()));
        ModelVersion v;
        try {
            ModelValidator.check(model, r.signature(), r.golden());
            String sha = sha256(r.artifact());
            Path target = store.resolve(sha);
            Files.createDirectories(store);
            Files.copy(r.artifact(), target, StandardCopyOption.REPLACE_EXISTING);
            List<ModelVersion> list = versions.computeIfAbsent(r.name(), k -> new ArrayList<>());
            v = new ModelVersion(r.name(), list.size() + 1, r.format(), model.runtimeVersion(), model.signature(), sha,
                    Files.size(target), r.artifact().getFileName().toString(), r.provenance(), r.golden(), r.createdBy(),
                    clock.instant(), r.message());
            list.add(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            model.close();
        }
        return v;
    }

    /** Stores a version without the validation gate, to test that the engine runs the gate itself. */
    public synchronized ModelVersion registerUnchecked(ModelVersion template, Path artifact) {
        try {
            String sha = sha256(artifact);
            Files.createDirectories(store);
            Files.copy(artifact, store.resolve(sha), StandardCopyOption.REPLACE_EXISTING);
            List<ModelVersion> list = versions.computeIfAbsent(template.name(), k -> new ArrayList<>());
            ModelVersion v = new ModelVersion(template.name(), list.size() + 1, template.format(), template.runtimeVersion(),
                    template.signature(), sha, Files.size(artifact), artifact.getFileName().toString(), template.provenance(),
                    template.golden(), template.createdBy(), clock.instant(), template.message());
            list.add(v);
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized List<String> models() {
        return List.copyOf(versions.keySet());
    }

    @Override
    public synchronized List<ModelVersion> versions(String name) {
        List<ModelVersion> list = versions.get(name);
        if (list == null) {
            throw new NotFoundException("model '" + name + "' is not registered; models: " + versions.keySet());
        }
        return List.copyOf(list);
    }

    @Override
    public synchronized ModelVersion version(String name, int version) {
        List<ModelVersion> list = versions(name);
        if (version < 1 || version > list.size()) {
            throw new NotFoundException("model '" + name + "' has no version " + version + "; versions 1 to " + list.size());
        }
        return list.get(version - 1);
    }

    @Override
    public synchronized ModelVersion resolve(String name, String versionOrAlias) {
        resolved.add(name + "@" + versionOrAlias);
        List<ModelVersion> list = versions(name);
        if (versionOrAlias.equals("latest")) {
            return list.get(list.size() - 1);
        }
        if (versionOrAlias.matches("\\d+")) {
            return version(name, Integer.parseInt(versionOrAlias));
        }
        Integer v = aliases.getOrDefault(name, Map.of()).get(versionOrAlias);
        if (v == null) {
            throw new NotFoundException("model '" + name + "' has no alias '" + versionOrAlias + "'");
        }
        return version(name, v);
    }

    @Override
    public synchronized Path artifact(ModelVersion version) {
        Path p = store.resolve(version.sha256());
        try {
            if (!Files.exists(p) || !sha256(p).equals(version.sha256())) {
                throw new ValidationFailedException("artifact of " + version.ref() + " does not match its SHA-256 " + version.sha256());
            }
        } catch (UncheckedIOException e) {
            throw new ValidationFailedException("artifact of " + version.ref() + " cannot be read: " + e.getMessage(), e);
        }
        return p;
    }

    @Override
    public synchronized Map<String, Integer> aliases(String name) {
        versions(name);
        return Map.copyOf(aliases.getOrDefault(name, Map.of()));
    }

    @Override
    public synchronized AliasEvent setAlias(String name, String alias, int version, String actor, String reason) {
        version(name, version);
        Integer from = aliases.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(alias, version);
        AliasEvent e = new AliasEvent(name, alias, from, version, actor, clock.instant(), reason);
        history.computeIfAbsent(name, k -> new ArrayList<>()).add(e);
        return e;
    }

    @Override
    public synchronized AliasEvent rollback(String name, String alias, String actor) {
        List<AliasEvent> events = history.getOrDefault(name, List.of()).stream().filter(e -> e.alias().equals(alias)).toList();
        if (events.isEmpty() || events.get(events.size() - 1).fromVersion() == null) {
            throw new ConflictException("alias '" + alias + "' of model '" + name + "' has no earlier version to roll back to");
        }
        AliasEvent last = events.get(events.size() - 1);
        aliases.get(name).put(alias, last.fromVersion());
        AliasEvent e = new AliasEvent(name, alias, last.toVersion(), last.fromVersion(), actor, clock.instant(), "rollback");
        history.get(name).add(e);
        return e;
    }

    @Override
    public synchronized List<AliasEvent> aliasHistory(String name) {
        return List.copyOf(history.getOrDefault(name, List.of()));
    }

    @Override
    public void close() {
    }

    private static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
