package dev.ferry.pipeline.runs;

import java.util.List;
import java.util.Optional;

/**
 * Where run records live: beside the model registry, on the filesystem ({@link FileRunStore}, the
 * embedded default) or in PostgreSQL ({@link PostgresRunStore}). Both pass {@code RunStoreContract}.
 */
public interface RunStore extends AutoCloseable {

    /** Stores a record, replacing an earlier one with the same id (a run is saved when it starts and when it ends). */
    void save(RunRecord run);

    Optional<RunRecord> find(String id);

    /** The record of {@code id}; {@link dev.ferry.NotFoundException} when there is none. */
    default RunRecord get(String id) {
        return find(id).orElseThrow(() -> new dev.ferry.NotFoundException("run '" + id + "' was not found"));
    }

    /** Every run, newest first. */
    List<RunRecord> list();

    @Override
    void close();
}
