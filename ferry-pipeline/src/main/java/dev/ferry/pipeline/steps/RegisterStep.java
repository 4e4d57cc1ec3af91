package dev.ferry.pipeline.steps;

import dev.ferry.features.TrainingSetManifest;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import dev.ferry.pipeline.runs.Lineage;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.TrainingData;
import dev.ferry.registry.json.RegistryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code register}: registers the upstream model ({@code model.json}, {@code signature.json}) as a
 * new version of {@code model} in the model registry, through its validation gate, with golden
 * examples from {@code evaluate}, the training data from the training set's manifest, the
 * training parameters, seed, metrics, code version and this run's id as provenance. Reports the
 * model name and version, which lineage reads back.
 */
public final class RegisterStep implements StepType {

    @Override
    public String name() {
        return "register";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Set<String> requiredParams() {
        return Set.of("model");
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
        String name = context.string("model");
        ModelSignature signature = RegistryJson.readSignature(Files.readAllBytes(context.upstreamFile("signature.json")), "signature.json");
        Path model = context.upstreamFile(context.upstreamValue("model_file").orElse("model.json"));
        ModelFormat format = ModelFormat.parse(context.upstreamValue("format").orElse("xgboost"));
        List<GoldenExample> golden = new ArrayList<>();
        Optional<Path> goldenFile = context.findUpstreamFile("golden.json");
        if (goldenFile.isPresent()) {
            golden.addAll(RegistryJson.goldenFromTree(Table.JSON.readValue(goldenFile.get().toFile(), List.class), "golden.json"));
        }
        Optional<Path> manifestFile = context.findUpstreamFile(TrainingSetStep.MANIFEST);
        TrainingData data = null;
        List<String> features = context.list("features");
        if (manifestFile.isPresent()) {
            TrainingSetManifest m = TrainingSetManifest.read(manifestFile.get());
            data = m.toTrainingData();
            if (features.isEmpty()) {
                features = m.features();
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String k : List.of("objective", "format")) {
            context.upstreamValue(k).ifPresent(v -> params.put(k, v));
        }
        context.upstreamValue("param.rounds").ifPresent(v -> params.put("rounds", v));
        for (String k : List.of("max_depth", "eta", "subsample", "colsample_bytree", "min_child_weight", "lambda", "alpha", "gamma",
                "tree_method", "nthread", "test_share", "num_leaves", "learning_rate", "min_data_in_leaf", "feature_fraction",
                "bagging_fraction", "bagging_freq", "lambda_l1", "lambda_l2", "max_bin", "deterministic", "num_threads")) {
            context.upstreamValue("param." + k).ifPresent(v -> params.put(k, v));
        }
        Long seed = context.upstreamValue("seed").map(Long::valueOf).orElse(null);
        Provenance provenance = new Provenance(data, features, params, seed, context.upstreamMetrics(), context.code(), context.runId());
        String message = context.optional("message").orElse("pipeline " + context.pipelineName() + ", run " + context.runId());
        ModelVersion v = context.environment().requireModelRegistry(context.id()).register(new RegisterRequest(name, model,
                format, Optional.of(signature), provenance, golden, context.environment().user(), message));
        context.log().printf("registered %s (sha256 %s) with %d golden examples%n", v.ref(), v.sha256(), golden.size());
        Map<String, String> values = new LinkedHashMap<>();
        values.put(Lineage.MODEL, name);
        values.put(Lineage.MODEL_VERSION, String.valueOf(v.version()));
        values.put("model_sha256", v.sha256());
        if (data != null) {
            values.put("training_data", data.fingerprint());
        }
        return StepResult.of(Map.of(), values);
    }
}
