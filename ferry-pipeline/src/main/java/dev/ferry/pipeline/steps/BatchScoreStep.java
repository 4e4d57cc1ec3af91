package dev.ferry.pipeline.steps;

import dev.ferry.batch.BadRowPolicy;
import dev.ferry.batch.BatchJob;
import dev.ferry.batch.BatchResult;
import dev.ferry.batch.BatchSpec;
import dev.ferry.batch.TableSource;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import dev.ferry.pipeline.runs.Lineage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code batch-score}: scores a table with a registry model, as {@code ferry score} does, and
 * writes the answers to a Parquet output ({@code scores.parquet}) and/or publishes them as a new
 * version of an online view ({@code online_view}), switched atomically. The table is a file
 * ({@code table}: .parquet or .csv) or an upstream output ({@code table_from}). The model is
 * {@code model} at {@code ref} (a version or an alias); with {@code ref} absent and a
 * {@code register} step upstream, the version that step registered. {@code keys} are copied to
 * the output and key the online view.
 */
public final class BatchScoreStep implements StepType {

    static final String OUTPUT = "scores.parquet";

    @Override
    public String name() {
        return "batch-score";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Set<String> requiredParams() {
        return Set.of("model", "keys");
    }

    @Override
    public List<Path> inputFiles(StepContext context) {
        return context.optional("table").map(t -> List.of(table(context))).orElse(List.of());
    }

    private static Path table(StepContext context) {
        Path p = context.path("table");
        if (!Files.isRegularFile(p)) {
            throw context.invalid("table", context.string("table"), "an existing .parquet or .csv file (resolved to " + p + ")");
        }
        return p;
    }

    @Override
    public StepResult run(StepContext context) {
        Path table = context.optional("table").isPresent() ? table(context)
                : context.upstreamFile(context.optional("table_from").orElseThrow(() -> context.invalid("table", null,
                        "a .parquet or .csv file, or table_from naming an upstream output")));
        String name = table.getFileName().toString().toLowerCase(Locale.ROOT);
        TableSource source = name.endsWith(".csv") ? TableSource.csv(table) : TableSource.parquet(table);
        String ref = context.optional("ref").or(() -> context.upstreamValue(Lineage.MODEL_VERSION))
                .orElseThrow(() -> context.invalid("ref", null, "a model version or alias, or a register step upstream"));
        boolean toFile = !"false".equalsIgnoreCase(context.optional("parquet").orElse("true"));
        BatchSpec.Builder spec = BatchSpec.builder(source, context.string("model"), ref)
                .keyColumns(context.list("keys"))
                .chunkRows(context.integer("chunk_rows", 2048))
                .workers(context.integer("workers", Math.max(1, Runtime.getRuntime().availableProcessors())))
                .badRows("skip".equalsIgnoreCase(context.optional("bad_rows").orElse("fail")) ? BadRowPolicy.SKIP : BadRowPolicy.FAIL);
        if (toFile) {
            spec.parquet(context.outputDir().resolve(OUTPUT));
        }
        context.optional("online_view").ifPresent(spec::onlineView);
        BatchJob job = context.optional("online_view").isPresent()
                ? BatchJob.with(context.environment().requireModelRegistry(context.id()), context.environment().requireOnlineStore(context.id()),
                        context.environment().clock())
                : BatchJob.with(context.environment().requireModelRegistry(context.id()), context.environment().clock());
        BatchResult result = job.run(spec.build(), (done, total) -> { });
        context.log().printf("scored %d rows (%d skipped) from %s into %s at %.0f rows/s%n", result.rowsScored(), result.rowsSkipped(),
                result.source(), result.target(), result.rowsPerSecond());
        Map<String, String> values = new LinkedHashMap<>();
        values.put("target", result.target());
        values.put("model", context.string("model") + "@" + ref);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("rows_scored", (double) result.rowsScored());
        metrics.put("rows_skipped", (double) result.rowsSkipped());
        return StepResult.of(metrics, values);
    }
}
