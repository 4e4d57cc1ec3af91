package dev.ferry.monitoring.profile;

import dev.ferry.features.OfflineStore;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.features.TrainingSetRequest;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Profiles a point-in-time training set as the offline store builds it: the set is written (Parquet
 * or CSV with its manifest, as {@code ferry features training-set} does) and its feature columns
 * are profiled, plus any {@code extraColumns} (a label, to watch target drift). Join keys and
 * times are left out. For a training set already on disk use {@link FileProfiler}.
 */
public final class TrainingSetProfiler {

    private TrainingSetProfiler() {
    }

    /** The manifest of the written set and the profile of its features. */
    public record Result(TrainingSetManifest manifest, DatasetProfile profile) {
    }

    public static Result profile(OfflineStore store, TrainingSetRequest request, Set<String> extraColumns, LongConsumer progress) {
        TrainingSetManifest manifest = store.trainingSet(request);
        Set<String> columns = new HashSet<>();
        for (TrainingSetManifest.ViewSummary v : manifest.views()) {
            for (String f : v.features()) {
                columns.add(request.fullFeatureNames() ? v.view() + "__" + f : f);
            }
        }
        columns.addAll(extraColumns);
        DatasetProfile profile = FileProfiler.profile(Path.of(manifest.output().path()), columns::contains, progress);
        return new Result(manifest, profile);
    }
}
