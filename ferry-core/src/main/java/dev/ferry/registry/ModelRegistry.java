package dev.ferry.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The handover point between data science and engineering: numbered immutable model versions
 * with content-addressed artifacts, provenance, golden examples and audited aliases. The
 * filesystem implementation is the embedded default; the PostgreSQL one lets several servers
 * share one registry. Both pass the same contract test suite.
 */
public interface ModelRegistry extends AutoCloseable {

    /**
     * Validates and stores a new version: the artifact is loaded, its signature compared with
     * the claimed one and the golden examples run. A failure throws
     * {@link dev.ferry.ValidationFailedException} and stores nothing.
     */
    ModelVersion register(RegisterRequest request);

    /** Model names, sorted. */
    List<String> models();

    /** Versions of a model, oldest first; {@link dev.ferry.NotFoundException} for an unknown model. */
    List<ModelVersion> versions(String name);

    ModelVersion version(String name, int version);

    /** Resolves a version number, an alias, or {@code latest}. */
    ModelVersion resolve(String name, String versionOrAlias);

    /**
     * The artifact file of a version, checked against its SHA-256 first: a tampered or truncated
     * artifact is a {@link dev.ferry.ValidationFailedException}.
     */
    Path artifact(ModelVersion version);

    /** Alias name to version for a model. */
    Map<String, Integer> aliases(String name);

    /** Points an alias at a version (creating it if new) and records the move. */
    AliasEvent setAlias(String name, String alias, int version, String actor, String reason);

    /** Moves an alias back to the version it pointed at before its last move. */
    AliasEvent rollback(String name, String alias, String actor);

    /** Every alias move of a model, oldest first. */
    List<AliasEvent> aliasHistory(String name);

    @Override
    void close();
}
