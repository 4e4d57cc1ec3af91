package dev.ferry.pipeline.steps;

import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelSignature;
import dev.ferry.model.RowTensors;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import dev.ferry.registry.json.RegistryJson;
import dev.ferry.types.ScalarType;
import dev.ferry.types.TensorSpec;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code train-lightgbm}: like {@code train-xgboost}, with LightGBM through lightgbm4j: the same
 * seeded split and row encoding ({@link RowTensors}: string columns become category codes, which
 * LightGBM splits on as categorical features), trained single-threaded with
 * {@code deterministic=true} and the step's seed. Writes {@code model.txt} (LightGBM's text
 * format), {@code signature.json} and {@code heldout.json}.
 */
public final class TrainLightGbmStep implements StepType {

    /** Parameters passed to LightGBM as they are (besides objective, which defaults to binary). */
    private static final List<String> BOOSTER = List.of("num_leaves", "learning_rate", "min_data_in_leaf", "feature_fraction",
            "bagging_fraction", "bagging_freq", "lambda_l1", "lambda_l2", "max_depth", "max_bin");

    @Override
    public String name() {
        return "train-lightgbm";
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
        Map<String, List<String>> categories = split[0].categories();
        int n = all.features().size();
        ModelSignature signature = new ModelSignature(all.features(), InputLayout.PACKED,
                List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, n)), List.of(), categories);
        String objective = context.optional("objective").orElse("binary");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("objective", objective);
        for (String p : BOOSTER) {
            context.optional(p).ifPresent(v -> params.put(p, String.valueOf(context.decimal(p, 0)).replaceAll("\\.0$", "")));
        }
        List<String> categorical = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (categories.containsKey(all.features().get(i).name())) {
                categorical.add(String.valueOf(i));
            }
        }
        if (!categorical.isEmpty()) {
            params.put("categorical_feature", String.join(",", categorical));
        }
        params.put("seed", String.valueOf(context.seed()));
        params.put("deterministic", "true");
        params.put("num_threads", "1");
        params.put("verbose", "-1");
        StringBuilder text = new StringBuilder();
        params.forEach((k, v) -> text.append(text.isEmpty() ? "" : " ").append(k).append('=').append(v));
        double[] x = RowTensors.toInputs(signature, split[0].rows()).get("input").doubles();
        context.log().printf("training on %d rows (%d held out), %d features, params %s, %d rounds%n", split[0].rows().size(),
                split[1].rows().size(), n, text, rounds);
        String model;
        LGBMDataset dataset = LGBMDataset.createFromMat(x, split[0].rows().size(), n, true, text.toString(), null);
        try {
            dataset.setFeatureNames(all.features().stream().map(f -> f.name()).toArray(String[]::new));
            dataset.setField("label", split[0].labels());
            LGBMBooster booster = LGBMBooster.create(dataset, text.toString());
            try {
                for (int i = 0; i < rounds; i++) {
                    booster.updateOneIter();
                }
                model = booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
            } finally {
                booster.close();
            }
        } finally {
            dataset.close();
        }
        Files.writeString(context.outputDir().resolve("model.txt"), model);
        Files.write(context.outputDir().resolve("signature.json"), RegistryJson.writeSignature(signature));
        split[1].write(context.outputDir().resolve("heldout.json"));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("objective", objective.equals("binary") ? "binary:logistic" : objective);
        values.put("seed", String.valueOf(context.seed()));
        values.put("format", "lightgbm");
        values.put("model_file", "model.txt");
        params.forEach((k, v) -> values.put("param." + k, v));
        values.put("param.rounds", String.valueOf(rounds));
        values.put("param.test_share", String.valueOf(input.testShare()));
        return StepResult.of(Map.of("train_rows", (double) split[0].rows().size(), "test_rows", (double) split[1].rows().size()), values);
    }
}
