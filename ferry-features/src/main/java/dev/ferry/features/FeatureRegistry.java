package dev.ferry.features;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The applied, versioned feature definitions that training sets and the online store read.
 * {@link #apply} checks a {@link FeatureRepository} against its real sources and records it:
 * a changed view gets a new version, an unchanged one is left alone, and old versions stay
 * readable as {@code view@version}. The embedded implementation is a directory of versioned
 * JSON files ({@link #open(Path)}).
 */
public interface FeatureRegistry {

    /** The embedded registry in {@code dir} (created if missing), checking sources with DuckDB. */
    static FeatureRegistry open(Path dir) {
        return new DirectoryRegistry(dir, OfflineStore.inspector(), Clock.systemUTC());
    }

    /** The embedded registry with an injected source inspector and clock. */
    static FeatureRegistry open(Path dir, SourceInspector inspector, Clock clock) {
        return new DirectoryRegistry(dir, inspector, clock);
    }

    /**
     * Validates every definition (throwing one {@link dev.ferry.ValidationFailedException} that
     * lists every problem with its file and line) and records the ones that changed.
     */
    default ApplyResult apply(FeatureRepository repository) {
        return apply(repository, false);
    }

    /**
     * As {@link #apply(FeatureRepository)}; with {@code prune}, entities, views and services that
     * are recorded but no longer in the repository are removed (reported as {@code REMOVED}).
     * Without it they are kept and reported as {@code KEPT}: several repositories may share one
     * registry, so removal is never implied. A removed view's versions stay readable when pinned
     * ({@code view@2}), so training sets built from them can still be reproduced.
     */
    ApplyResult apply(FeatureRepository repository, boolean prune);

    /** A view by {@code name} (latest version) or {@code name@version}; throws NotFoundException. */
    RegisteredView view(String ref);

    /** The latest version of every view. */
    List<RegisteredView> views();

    /** Every recorded version of one view, oldest first. */
    List<RegisteredView> versions(String view);

    Optional<Entity> entity(String name);

    List<Entity> entities();

    Optional<FeatureService> service(String name);

    List<FeatureService> services();
}
