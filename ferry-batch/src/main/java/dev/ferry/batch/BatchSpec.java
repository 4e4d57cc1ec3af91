package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch scoring job: what to read, which registry model scores it, and where results go (a
 * Parquet file, an online view published under a new version, or both). Built with
 * {@link #builder}; run with {@link BatchJob#run}. A pipeline step builds one of these and calls
 * {@code BatchJob}; the CLI and schedule files build it from options and YAML.
 *
 * @param source         the table to score
 * @param model          the registry model name
 * @param modelRef       a version number or an alias ({@code champion})
 * @param keyColumns     source columns copied to the output; the entity key of an online view
 * @param parquet        a Parquet file to write, if any
 * @param onlineView     an online view name (without version) to publish, if any
 * @param chunkRows      rows per model call
 * @param workers        scoring threads
 * @param queueChunks    chunks read ahead of the writer (bounds memory)
 * @param badRows        fail on the first bad row, or skip and count bad rows
 * @param retainVersions online versions kept for rollback (at least 2)
 */
public record BatchSpec(TableSource source, String model, String modelRef, List<String> keyColumns, Optional<Path> parquet,
                        Optional<String> onlineView, int chunkRows, int workers, int queueChunks, BadRowPolicy badRows,
                        int retainVersions) {

    public BatchSpec {
        keyColumns = List.copyOf(keyColumns);
        List<String> problems = new ArrayList<>();
        if (source == null) {
            problems.add("source was missing but it must name a table to score");
        }
        if (model == null || model.isBlank()) {
            problems.add("model was '" + model + "' but it must name a registry model");
        }
        if (modelRef == null || modelRef.isBlank()) {
            problems.add("model ref was '" + modelRef + "' but it must be a version number or an alias");
        }
        if (parquet.isEmpty() && onlineView.isEmpty()) {
            problems.add("outputs were empty but a job must write a Parquet file, an online view, or both");
        }
        if (onlineView.isPresent() && keyColumns.isEmpty()) {
            problems.add("key columns were empty but an online view needs at least one key column");
        }
        for (String[] n : new String[][] {{"chunk rows", String.valueOf(chunkRows)}, {"workers", String.valueOf(workers)},
                {"queue chunks", String.valueOf(queueChunks)}}) {
            if (Integer.parseInt(n[1]) < 1) {
                problems.add(n[0] + " was " + n[1] + " but it must be at least 1");
            }
        }
        if (retainVersions < 2) {
            problems.add("retain versions was " + retainVersions + " but it must be at least 2, so a rollback target stays stored");
        }
        Objects.requireNonNull(badRows, "badRows");
        if (!problems.isEmpty()) {
            throw new InvalidInputException("batch job is invalid: " + String.join("; ", problems));
        }
    }

    public static Builder builder(TableSource source, String model, String modelRef) {
        return new Builder(source, model, modelRef);
    }

    /** Builds a {@link BatchSpec}; defaults: 2048-row chunks, one worker per core, fail on bad rows, keep 3 versions. */
    public static final class Builder {
        private final TableSource source;
        private final String model;
        private final String modelRef;
        private List<String> keyColumns = List.of();
        private Optional<Path> parquet = Optional.empty();
        private Optional<String> onlineView = Optional.empty();
        private int chunkRows = 2048;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int queueChunks = 0;
        private BadRowPolicy badRows = BadRowPolicy.FAIL;
        private int retainVersions = 3;

        private Builder(TableSource source, String model, String modelRef) {
            this.source = source;
            this.model = model;
            this.modelRef = modelRef;
        }

        public Builder keyColumns(List<String> keyColumns) {
            this.keyColumns = List.copyOf(keyColumns);
            return this;
        }

        public Builder parquet(Path file) {
            this.parquet = Optional.of(file);
            return this;
        }

        public Builder onlineView(String view) {
            this.onlineView = Optional.of(view);
            return this;
        }

        public Builder chunkRows(int chunkRows) {
            this.chunkRows = chunkRows;
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Chunks read ahead (default: twice the workers). */
        public Builder queueChunks(int queueChunks) {
            this.queueChunks = queueChunks;
            return this;
        }

        public Builder badRows(BadRowPolicy badRows) {
            this.badRows = badRows;
            return this;
        }

        public Builder retainVersions(int retainVersions) {
            this.retainVersions = retainVersions;
            return this;
        }

        public BatchSpec build() {
            return new BatchSpec(source, model, modelRef, keyColumns, parquet, onlineView, chunkRows, workers,
                    queueChunks == 0 ? 2 * Math.max(1, workers) : queueChunks, badRows, retainVersions);
        }
    }
}
