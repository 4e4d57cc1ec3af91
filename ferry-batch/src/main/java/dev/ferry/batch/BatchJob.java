package dev.ferry.batch;

import dev.ferry.InvalidInputException;
import dev.ferry.model.Model;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ViewPointers;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.store.RegistryModels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs {@link BatchSpec}s: loads the model through the registry's validation gate
 * ({@link RegistryModels#load}), opens the spec's sinks, scores with a {@link BatchScorer} and
 * closes the model. The entry point for the CLI, the scheduler and pipeline steps.
 */
public final class BatchJob {

    private final ModelRegistry registry;
    private final Optional<OnlineStore> online;
    private final Clock clock;

    private BatchJob(ModelRegistry registry, Optional<OnlineStore> online, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.online = online;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Jobs reading models from {@code registry}; they may write Parquet only. */
    public static BatchJob with(ModelRegistry registry, Clock clock) {
        return new BatchJob(registry, Optional.empty(), clock);
    }

    /** Jobs reading models from {@code registry} and publishing online views into {@code online}. */
    public static BatchJob with(ModelRegistry registry, OnlineStore online, Clock clock) {
        return new BatchJob(registry, Optional.of(online), clock);
    }

    /** Runs {@code spec} to the end; on failure nothing is published and the previous outputs stay. */
    public BatchResult run(BatchSpec spec, BatchProgress progress) {
        if (spec.onlineView().isPresent() && online.isEmpty()) {
            throw new InvalidInputException("the job writes online view " + spec.onlineView().get()
                    + " but no online store was given to run it with");
        }
        try (Model model = RegistryModels.load(registry, spec.model(), spec.modelRef())) {
            BatchScorer scorer = BatchScorer.builder(model).keyColumns(spec.keyColumns()).chunkRows(spec.chunkRows())
                    .workers(spec.workers()).queueChunks(spec.queueChunks()).badRows(spec.badRows()).build();
            return scorer.score(spec.source(), sinks(spec), progress);
        }
    }

    private ResultSink sinks(BatchSpec spec) {
        List<ResultSink> sinks = new ArrayList<>();
        spec.parquet().ifPresent(p -> sinks.add(ParquetSink.to(p, spec.keyColumns())));
        spec.onlineView().ifPresent(v -> sinks.add(OnlineViewSink.to(online.orElseThrow(), ViewPointers.in(online.orElseThrow(), clock), v,
                spec.keyColumns(), clock.instant(), spec.retainVersions())));
        return ResultSink.all(sinks);
    }
}
