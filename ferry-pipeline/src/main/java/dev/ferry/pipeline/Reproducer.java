package dev.ferry.pipeline;

import dev.ferry.pipeline.runs.RunDiff;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStore;
import dev.ferry.pipeline.runs.StepRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Re-runs a recorded run from its record alone (the pipeline definition, parameters and seed it
 * stored), ignoring the cache, and checks that every output file and metric comes out the same.
 * Outputs a step type marks as describing the run rather than its result (a manifest's creation
 * time) are not compared.
 */
public final class Reproducer {

    private final RunStore store;
    private final PipelineRunner runner;

    public Reproducer(RunStore store, PipelineRunner runner) {
        this.store = store;
        this.runner = runner;
    }

    /**
     * The outcome: the original, the new run, what differs between them, and the mismatches that
     * make the reproduction fail (empty when it matches).
     */
    public record Reproduction(RunRecord original, RunRecord rerun, RunDiff diff, List<String> mismatches) {

        public boolean matches() {
            return mismatches.isEmpty();
        }
    }

    public Reproduction reproduce(String runId) {
        RunRecord original = store.get(runId);
        Pipeline p = PipelineYaml.parse(original.definition(), original.origin(), Path.of(original.baseDir()), runner.types())
                .withSeed(original.seed());
        RunRecord rerun = runner.run(p, new RunOptions(original.params(), true, "reproduces " + runId, runId));
        List<String> mismatches = new ArrayList<>();
        if (rerun.failedStep() != null) {
            mismatches.add("the new run failed at step '" + rerun.failedStep() + "': " + rerun.failure());
        }
        for (StepRecord s : original.steps()) {
            if (!s.succeeded()) {
                continue;
            }
            StepRecord r = rerun.step(s.id()).orElse(null);
            if (r == null || !r.succeeded()) {
                mismatches.add("step '" + s.id() + "' did not succeed in the new run");
                continue;
            }
            Set<String> notCompared = runner.types().find(s.type()).map(t -> t instanceof RecordOutputs ro ? ro.recordOutputs() : Set.<String>of())
                    .orElse(Set.of());
            s.outputs().forEach((name, sha) -> {
                if (!notCompared.contains(name) && !Objects.equals(sha, r.outputs().get(name))) {
                    mismatches.add("step '" + s.id() + "' output " + name + " was sha256:" + sha + " but is now "
                            + (r.outputs().get(name) == null ? "missing" : "sha256:" + r.outputs().get(name)));
                }
            });
            s.metrics().forEach((name, v) -> {
                if (!Objects.equals(v, r.metrics().get(name))) {
                    mismatches.add("step '" + s.id() + "' metric " + name + " was " + v + " but is now " + r.metrics().get(name));
                }
            });
        }
        return new Reproduction(original, rerun, RunDiff.of(original, rerun), mismatches);
    }

    /** A step type some of whose outputs describe the run (times, paths) rather than its result. */
    public interface RecordOutputs {

        /** Output names {@code reproduce} does not compare. */
        Set<String> recordOutputs();
    }
}
