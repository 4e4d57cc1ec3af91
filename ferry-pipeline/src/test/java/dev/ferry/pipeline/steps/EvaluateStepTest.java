package dev.ferry.pipeline.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.model.ModelSignature;
import dev.ferry.model.RowTensors;
import dev.ferry.pipeline.Pipeline;
import dev.ferry.pipeline.PipelineEnvironment;
import dev.ferry.pipeline.PipelineRunner;
import dev.ferry.pipeline.RunOptions;
import dev.ferry.pipeline.StepSpec;
import dev.ferry.pipeline.runs.FileRunStore;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.registry.json.RegistryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate step's metrics against XGBoost's own evaluation of the same model on the same held-out rows. */
class EvaluateStepTest {

    static final Path LOANS = Path.of("..", "examples", "credit", "data", "loan_table_sample.csv").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void aucAndLogLossAgreeWithXGBoostsOwnEvaluation() throws Exception {
        Pipeline p = Pipeline.builder("eval").seed(17).baseDir(dir)
                .step(StepSpec.builder("train", "train-xgboost").param("data", LOANS.toString()).param("label", "loan_status")
                        .param("exclude", java.util.List.of("loan_id", "dob_ssn", "zipcode")).param("rounds", 20).param("max_depth", 3)
                        .param("test_share", 0.3).build())
                .step(StepSpec.builder("evaluate", "evaluate").dependsOn("train").build())
                .build();
        PipelineRunner runner = PipelineRunner.builder(PipelineEnvironment.builder(dir.resolve("data")).build(),
                FileRunStore.open(dir.resolve("data/runs"))).build();
        RunRecord r = runner.run(p, RunOptions.defaults());
        assertThat(r.failure()).isNull();
        Map<String, String> out = r.step("train").orElseThrow().outputs();
        Table heldOut = Table.readJson(runner.objects().path(out.get("heldout.json")));
        ModelSignature signature = RegistryJson.readSignature(Files.readAllBytes(runner.objects().path(out.get("signature.json"))), "s");
        assertThat(heldOut.rows()).hasSize(300);

        float[] x = RowTensors.toInputs(signature, heldOut.rows()).get("input").floats();
        DMatrix m = new DMatrix(x, heldOut.rows().size(), signature.features().size(), Float.NaN);
        m.setLabel(heldOut.labels());
        Booster booster = XGBoost.loadModel(Files.readAllBytes(runner.objects().path(out.get("model.json"))));
        booster.setParam("eval_metric", "auc");
        booster.setParam("eval_metric", "logloss");
        String eval = booster.evalSet(new DMatrix[] {m}, new String[] {"test"}, 0);
        m.dispose();
        booster.dispose();
        Map<String, Double> reference = new HashMap<>();
        for (String part : eval.split("\t")) {
            if (part.startsWith("test-")) {
                String[] kv = part.substring(5).split(":");
                reference.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        Map<String, Double> metrics = r.step("evaluate").orElseThrow().metrics();
        assertThat(reference).containsKeys("auc", "logloss");
        assertThat(metrics.get("auc")).isCloseTo(reference.get("auc"), within(1e-5));
        assertThat(metrics.get("logloss")).isCloseTo(reference.get("logloss"), within(1e-5));
        assertThat(metrics.get("accuracy")).isBetween(0.5, 1.0);
    }

    @Test
    void aucTiesAreAveraged() {
        assertThat(Metrics.auc(new float[] {0.1f, 0.4f, 0.4f, 0.8f}, new float[] {0, 0, 1, 1})).isEqualTo(0.875);
        assertThat(Metrics.regression(new float[] {1, 2}, new float[] {0, 4})).containsEntry("mae", 1.5)
                .containsEntry("rmse", Math.sqrt(2.5));
    }
}
