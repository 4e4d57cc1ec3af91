package dev.ferry.pipeline.steps;

import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.model.ModelSignature;
import dev.ferry.model.RowTensors;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import dev.ferry.registry.json.RegistryJson;
import dev.ferry.types.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * {@code evaluate}: scores the held-out rows of the upstream training step (XGBoost with XGBoost
 * itself, other formats through Ferry's runtime for the format) and reports AUC, log loss and accuracy (binary objectives) or RMSE and MAE
 * (regression). Writes {@code golden.json}: the first {@code golden} (default 5) held-out rows
 * with the model's outputs, which {@code register} stores as the version's golden examples.
 */
public final class EvaluateStep implements StepType {

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
        Table heldOut = Table.readJson(context.upstreamFile("heldout.json"));
        ModelSignature signature = RegistryJson.readSignature(Files.readAllBytes(context.upstreamFile("signature.json")), "signature.json");
        String format = context.upstreamValue("format").orElse("xgboost");
        Path modelFile = context.upstreamFile(context.upstreamValue("model_file").orElse("model.json"));
        String objective = context.upstreamValue("objective").orElse("binary:logistic");
        if (heldOut.rows().isEmpty()) {
            throw context.invalid("test_share", null, "a held-out share that leaves at least one row to evaluate on");
        }
        float[] scores = format.equals("xgboost") ? scores(Files.readAllBytes(modelFile), signature, heldOut)
                : runtimeScores(ModelFormat.parse(format), modelFile, signature, heldOut, objective);
        boolean binary = objective.startsWith("binary:");
        Map<String, Double> metrics = binary ? Metrics.binary(scores, heldOut.labels()) : Metrics.regression(scores, heldOut.labels());
        context.log().printf("%s on %d held-out rows: %s%n", objective, heldOut.rows().size(), metrics);
        int n = Math.min(context.integer("golden", 5), heldOut.rows().size());
        List<Map<String, Object>> golden = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("inputs", heldOut.rows().get(i).values());
            double p = scores[i];
            g.put("expected", binary ? Map.of("probabilities", List.of(1.0 - p, p)) : Map.of("prediction", p));
            g.put("tolerance", 1e-6);
            golden.add(g);
        }
        Table.JSON.writeValue(context.outputDir().resolve("golden.json").toFile(), golden);
        return StepResult.of(metrics, Map.of("evaluated_rows", String.valueOf(heldOut.rows().size())));
    }

    /** Scores through Ferry's runtime for the format (as serving will): the positive-class probability, or the prediction. */
    private static float[] runtimeScores(ModelFormat format, Path file, ModelSignature signature, Table rows, String objective) {
        try (Model model = ModelRuntimes.load(format, ModelLoadRequest.of(file, signature))) {
            List<Row> out = model.predictRows(rows.rows());
            float[] scores = new float[out.size()];
            for (int i = 0; i < scores.length; i++) {
                Object v = objective.startsWith("binary:") ? out.get(i).get("probabilities") : out.get(i).get("prediction");
                scores[i] = v instanceof double[] d ? (float) d[d.length - 1] : v instanceof float[] f ? f[f.length - 1]
                        : ((Number) v).floatValue();
            }
            return scores;
        }
    }

    private static float[] scores(byte[] model, ModelSignature signature, Table rows) throws Exception {
        float[] x = RowTensors.toInputs(signature, rows.rows()).get(signature.inputs().get(0).name()).floats();
        Booster booster = XGBoost.loadModel(model);
        DMatrix m = new DMatrix(x, rows.rows().size(), signature.features().size(), Float.NaN);
        try {
            float[][] p = booster.predict(m);
            float[] out = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i][0];
            }
            return out;
        } finally {
            m.dispose();
            booster.dispose();
        }
    }
}
