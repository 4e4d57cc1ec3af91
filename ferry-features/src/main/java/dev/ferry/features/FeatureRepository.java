package dev.ferry.features;

import dev.ferry.NotFoundException;
import dev.ferry.ValidationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A set of feature definitions (entities, views, services) as written by a team, from one or
 * more YAML files ({@link #load}) or the {@link #builder()}. It is not yet applied: hand it to
 * {@link FeatureRegistry#apply} to check it against the real sources and record versions.
 * Loading never stops at the first mistake; {@link #validate} returns every problem found.
 */
public final class FeatureRepository {

    private final Map<String, Entity> entities;
    private final Map<String, FeatureView> views;
    private final Map<String, FeatureService> services;
    private final Map<String, Origin> origins;
    private final List<Problem> loadProblems;

    FeatureRepository(Map<String, Entity> entities, Map<String, FeatureView> views, Map<String, FeatureService> services,
                      Map<String, Origin> origins, List<Problem> loadProblems) {
        this.entities = Map.copyOf(entities);
        this.views = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(views));
        this.services = Map.copyOf(services);
        this.origins = Map.copyOf(origins);
        this.loadProblems = List.copyOf(loadProblems);
    }

    /** Reads YAML files, or every {@code .yaml}/{@code .yml} file of a directory (sorted by name). */
    public static FeatureRepository load(Path... paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).filter(f -> !otherKind(f))
                            .sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new NotFoundException("feature repository directory " + p + " could not be listed: " + e.getMessage(), e);
                }
            } else {
                files.add(p);
            }
        }
        Builder b = builder();
        for (Path f : files) {
            YamlDefinitions.read(f, b);
        }
        return b.build();
    }

    /** Top-level keys of the other Ferry YAML documents that may sit beside feature definitions. */
    private static final java.util.regex.Pattern OTHER_KIND = java.util.regex.Pattern.compile("(?m)^(pipeline|checks|schedules):");
    private static final java.util.regex.Pattern DEFINITIONS = java.util.regex.Pattern.compile("(?m)^(entities|sources|views|services):");

    /**
     * True for a file of a directory that is another kind of Ferry document (a pipeline, quality
     * checks, schedules) and holds no definitions: a repository directory may also hold the
     * pipeline that uses it. A file named on its own is always read as definitions.
     */
    private static boolean otherKind(Path file) {
        try {
            String text = Files.readString(file);
            return OTHER_KIND.matcher(text).find() && !DEFINITIONS.matcher(text).find();
        } catch (IOException e) {
            return false; // read (and reported) as definitions
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Collection<Entity> entities() {
        return entities.values();
    }

    public Collection<FeatureView> views() {
        return views.values();
    }

    public Collection<FeatureService> services() {
        return services.values();
    }

    public Optional<Entity> entity(String name) {
        return Optional.ofNullable(entities.get(name));
    }

    public Optional<FeatureView> view(String name) {
        return Optional.ofNullable(views.get(name));
    }

    public Optional<FeatureService> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    Origin origin(String key, String fallback) {
        Origin o = origins.get(key);
        if (o != null) {
            return o;
        }
        int dot = key.lastIndexOf('.');
        return dot > 0 ? origin(key.substring(0, dot), fallback) : Origin.builder(fallback);
    }

    /**
     * Every problem with these definitions: what loading found (unknown types, bad durations,
     * duplicates), unknown entity and view references, and, when {@code inspector} is given,
     * columns missing from the real source files and tables.
     */
    public List<Problem> validate(SourceInspector inspector) {
        return new RepositoryValidator(this, inspector).validate();
    }

    /** Like {@link #validate} but throws one {@link ValidationFailedException} listing every problem. */
    public FeatureRepository requireValid(SourceInspector inspector) {
        List<Problem> problems = validate(inspector);
        if (!problems.isEmpty()) {
            throw failure(problems);
        }
        return this;
    }

    static ValidationFailedException failure(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("feature repository has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":");
        for (Problem p : problems) {
            sb.append("\n  ").append(p);
        }
        return new ValidationFailedException(sb.toString());
    }

    List<Problem> loadProblems() {
        return loadProblems;
    }

    /**
     * Collects definitions. A repeated name or an invalid definition is recorded as a problem
     * rather than thrown, so that {@link FeatureRepository#validate} reports all of them.
     */
    public static final class Builder {
        private final Map<String, Entity> entities = new LinkedHashMap<>();
        private final Map<String, FeatureView> views = new LinkedHashMap<>();
        private final Map<String, FeatureService> services = new LinkedHashMap<>();
        private final Map<String, Origin> origins = new LinkedHashMap<>();
        private final List<Problem> problems = new ArrayList<>();

        private Builder() {
        }

        public Builder entity(Entity entity) {
            add("entity", entity.name(), entity, entities, Origin.builder("entity " + entity.name()));
            return this;
        }

        public Builder view(FeatureView view) {
            add("view", view.name(), view, views, Origin.builder("view " + view.name()));
            return this;
        }

        public Builder service(FeatureService service) {
            add("service", service.name(), service, services, Origin.builder("service " + service.name()));
            return this;
        }

        void addEntity(Entity e, Origin origin) {
            add("entity", e.name(), e, entities, origin);
        }

        void addView(FeatureView v, Origin origin) {
            add("view", v.name(), v, views, origin);
        }

        void addService(FeatureService s, Origin origin) {
            add("service", s.name(), s, services, origin);
        }

        private <T> void add(String kind, String name, T value, Map<String, T> into, Origin origin) {
            String key = kind + ":" + name;
            Origin earlier = origins.get(key);
            if (into.containsKey(name)) {
                problems.add(Problem.at(origin, kind + " '" + name + "' is defined more than once (first at "
                        + (earlier == null ? "?" : earlier.line() > 0 ? earlier.file() + ":" + earlier.line() : earlier.file()) + "); names must be unique"));
                return;
            }
            into.put(name, value);
            origins.putIfAbsent(key, origin);
        }

        void origin(String key, Origin origin) {
            origins.putIfAbsent(key, origin);
        }

        void problem(Problem problem) {
            problems.add(problem);
        }

        public FeatureRepository build() {
            return new FeatureRepository(entities, views, services, origins, problems);
        }
    }
}
