package dev.ferry.pipeline.steps;

import dev.ferry.model.ModelSignature;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import dev.ferry.registry.json.RegistryJson;
import dev.ferry.xgboost.XGBoostTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code train-xgboost}: splits the training data ({@code training.parquet} of an upstream step,
 * or {@code data}: a file) with the step's seed, trains XGBoost on the training part with
 * {@link XGBoostTrainer} (seeded, single-threaded, so the same data, parameters and seed give the
 * same bytes) and writes {@code model.json}, {@code signature.json} and the held-out rows
 * {@code heldout.json} for {@code evaluate}. String columns are categorical; {@code exclude}
 * leaves out ids and keys.
 */
public final class TrainXGBoostStep implements StepType {

    /** Parameters passed to XGBoost as they are (besides objective, which defaults to binary:logistic). */
    private static final List<String> BOOSTER = List.of("max_depth", "eta", "subsample", "colsample_bytree", "min_child_weight",
            "lambda", "alpha", "gamma", "max_bin", "scale_pos_weight");

    @Override
    public String name() {
        return "train-xgboost";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Set<String> requiredParams() {
        return TrainingInput.requiredParams();
    }

    @Override
    public List<Path> inputFiles(StepContext context) {
        return TrainingInput.inputFiles(context);
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
        TrainingInput input = TrainingInput.of(context);
        Table all = input.all();
        Table[] split = {input.train(), input.heldOut()};
        int rounds = input.rounds();
        Map<String, Object> params = new LinkedHashMap<>();
        String objective = context.optional("objective").orElse("binary:logistic");
        params.put("objective", objective);
        for (String p : BOOSTER) {
            if (context.optional(p).isPresent()) {
                double v = context.decimal(p, 0);
                params.put(p, v == Math.rint(v) && (p.equals("max_depth") || p.equals("max_bin")) ? (Object) (int) v : (Object) v);
            }
        }
        Map<String, List<String>> categories = split[0].categories();
        ModelSignature signature = XGBoostTrainer.signature(all.features(), categories);
        context.log().printf("training on %d rows (%d held out), %d features, params %s, %d rounds, seed %d%n",
                split[0].rows().size(), split[1].rows().size(), all.features().size(), params, rounds, context.seed());
        XGBoostTrainer.Trained trained = XGBoostTrainer.train(signature, split[0].rows(), split[0].labels(), params, rounds, context.seed());
        Files.write(context.outputDir().resolve("model.json"), trained.modelJson());
        Files.write(context.outputDir().resolve("signature.json"), RegistryJson.writeSignature(signature));
        split[1].write(context.outputDir().resolve("heldout.json"));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("objective", objective);
        values.put("seed", String.valueOf(context.seed()));
        values.put("format", "xgboost");
        values.put("model_file", "model.json");
        trained.parameters().forEach((k, v) -> values.put("param." + k, v));
        values.put("param.test_share", String.valueOf(input.testShare()));
        return StepResult.of(Map.of("train_rows", (double) split[0].rows().size(), "test_rows", (double) split[1].rows().size()), values);
    }
}
