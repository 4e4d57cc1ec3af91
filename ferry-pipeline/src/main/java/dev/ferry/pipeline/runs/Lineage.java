package dev.ferry.pipeline.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lineage over the run store, both ways: from a registered model version to the run and step that
 * produced it (and from there its data and feature views), and from a dataset (a fingerprint or a
 * path) to every model version trained on it.
 */
public final class Lineage {

    /** Values a register step records, read here. */
    public static final String MODEL = "model";
    public static final String MODEL_VERSION = "model_version";

    private final RunStore store;

    public Lineage(RunStore store) {
        this.store = store;
    }

    /** Where a model version came from: the run and its register step. */
    public record ModelOrigin(RunRecord run, StepRecord registerStep) {
    }

    /** A model version trained on a dataset, with the run that did it. */
    public record TrainedModel(String model, int version, String runId, String step) {
    }

    /**
     * The run that registered {@code model} version {@code version}: the one whose register step
     * ran, else the newest that reused that step from the cache.
     */
    public Optional<ModelOrigin> ofModel(String model, int version) {
        Optional<ModelOrigin> cached = Optional.empty();
        for (RunRecord r : store.list()) {
            for (StepRecord s : r.steps()) {
                if (s.succeeded() && model.equals(s.values().get(MODEL))
                        && String.valueOf(version).equals(s.values().get(MODEL_VERSION))) {
                    if (s.status() == StepStatus.SUCCEEDED) {
                        return Optional.of(new ModelOrigin(r, s));
                    }
                    if (cached.isEmpty()) {
                        cached = Optional.of(new ModelOrigin(r, s));
                    }
                }
            }
        }
        return cached;
    }

    /**
     * Every model version registered by a run that read {@code dataset}: a fingerprint
     * ({@code sha256:...} or bare hex) matched against every step input, or a path matched
     * against input names. Newest run first; a model registered by several runs is listed once.
     */
    public List<TrainedModel> modelsTrainedOn(String dataset) {
        String bare = dataset.startsWith("sha256:") ? dataset.substring(7) : dataset;
        List<TrainedModel> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RunRecord r : store.list()) {
            boolean read = r.steps().stream().anyMatch(s -> s.inputs().entrySet().stream().anyMatch(e ->
                    e.getValue().equals(bare) || e.getValue().endsWith(bare) || e.getKey().equals(dataset)
                            || e.getKey().endsWith("/" + dataset) || e.getKey().endsWith(java.io.File.separator + dataset))
                    || s.values().values().stream().anyMatch(v -> v.equals(dataset) || v.equals("sha256:" + bare)));
            if (!read) {
                continue;
            }
            for (StepRecord s : r.steps()) {
                String model = s.values().get(MODEL);
                String version = s.values().get(MODEL_VERSION);
                if (s.succeeded() && model != null && version != null && seen.add(model + "@" + version)) {
                    out.add(new TrainedModel(model, Integer.parseInt(version), r.id(), s.id()));
                }
            }
        }
        return out;
    }
}
