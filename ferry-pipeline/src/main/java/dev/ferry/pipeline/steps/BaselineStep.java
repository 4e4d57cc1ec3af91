package dev.ferry.pipeline.steps;

import dev.ferry.model.Model;
import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import dev.ferry.pipeline.runs.Lineage;
import dev.ferry.registry.store.RegistryModels;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code baseline}: stores the training profile of the version a {@code register} step upstream
 * registered, so monitoring has its baseline from the moment the version exists: the model's
 * features as they are in the training set ({@code training.parquet} upstream, or
 * {@code table_from}) and the model's own scalar outputs on those rows (for prediction drift),
 * in {@code <data-dir>/monitoring/baselines/<model>/<version>/profile.json}. {@code label} and
 * {@code exclude} name the columns that are not features, as for training.
 */
public final class BaselineStep implements StepType {

    private static final int CHUNK = 1024;

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Set<String> requiredParams() {
        return Set.of("model", "label");
    }

    @Override
    public StepResult run(StepContext context) {
        String model = context.string("model");
        int version = Integer.parseInt(context.upstreamValue(Lineage.MODEL_VERSION)
                .orElseThrow(() -> context.invalid("model", model, "a register step upstream, whose version gets the baseline")));
        Path table = context.upstreamFile(context.optional("table_from").orElse(TrainingSetStep.OUTPUT));
        Table rows = Table.read(table, context.string("label"), new HashSet<>(context.list("exclude")), context.log());
        ProfileAccumulator profile = ProfileAccumulator.inferring();
        try (Model m = RegistryModels.load(context.environment().requireModelRegistry(context.id()), model, String.valueOf(version))) {
            List<String> features = m.signature().features().stream().map(Field::name).toList();
            for (int from = 0; from < rows.rows().size(); from += CHUNK) {
                List<Row> chunk = rows.rows().subList(from, Math.min(rows.rows().size(), from + CHUNK));
                List<Row> outputs = m.predictRows(chunk);
                for (int i = 0; i < chunk.size(); i++) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (String f : features) {
                        values.put(f, chunk.get(i).get(f));
                    }
                    // scalar outputs only: a served vector output (class probabilities) is not compared
                    outputs.get(i).values().forEach((k, v) -> {
                        if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
                            values.put(k, v);
                        }
                    });
                    profile.add(values);
                }
            }
        }
        DatasetProfile snapshot = profile.snapshot();
        Path stored = BaselineStore.in(context.environment().dataDir()).save(model, version, snapshot, true);
        context.log().printf("baseline of %s@%d: %d rows, %d columns, stored at %s%n", model, version, snapshot.rowCount(),
                snapshot.features().size(), stored);
        return StepResult.of(Map.of("rows", (double) snapshot.rowCount()), Map.of("baseline", stored.toString()));
    }
}
