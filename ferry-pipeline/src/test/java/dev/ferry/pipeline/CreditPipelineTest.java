package dev.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.online.FeatureStatus;
import dev.ferry.online.EntityKey;
import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.pipeline.runs.FileRunStore;
import dev.ferry.pipeline.runs.Lineage;
import dev.ferry.pipeline.runs.RunDiff;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStatus;
import dev.ferry.pipeline.runs.RunStore;
import dev.ferry.pipeline.runs.StepRecord;
import dev.ferry.pipeline.runs.StepStatus;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.registry.store.RegistryModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example pipeline of examples/credit end to end on a copy of the committed samples: training
 * set, two seeded XGBoost models, evaluation, registration through the registry's gate, online
 * materialization; then caching, byte-identical retraining, reproduce, diff and lineage.
 */
class CreditPipelineTest {

    static final Path EXAMPLE = Path.of("..", "examples", "credit").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path copyExample() throws Exception {
        Path to = dir.resolve("credit");
        try (Stream<Path> walk = Files.walk(EXAMPLE)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(EXAMPLE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to.resolve("pipeline.yaml");
    }

    /** One data directory with its registry, online store and run store. */
    private final class Site implements AutoCloseable {
        final Path data;
        final ModelRegistry registry;
        final InMemoryOnlineStore online = new InMemoryOnlineStore(Clock.systemUTC());
        final RunStore runs;
        final PipelineRunner runner;

        Site(String name) {
            data = dir.resolve(name);
            registry = FileModelRegistry.open(data.resolve("registry"));
            runs = FileRunStore.open(data.resolve("runs"));
            runner = PipelineRunner.builder(PipelineEnvironment.builder(data).modelRegistry(registry).onlineStore(online).build(), runs)
                    .workers(2).build();
        }

        RunRecord run(Path pipeline, RunOptions options) {
            return runner.run(PipelineYaml.load(pipeline, runner.types()), options);
        }

        byte[] model(RunRecord r, String step) throws Exception {
            return Files.readAllBytes(runner.objects().path(r.step(step).orElseThrow().outputs().get("model.json")));
        }

        @Override
        public void close() {
            registry.close();
            online.close();
            runs.close();
        }
    }

    @Test
    void theCreditPipelineTrainsEvaluatesRegistersAndMaterializesWithFullProvenance() throws Exception {
        Path pipeline = copyExample();
        try (Site site = new Site("a")) {
            RunRecord r = site.run(pipeline, RunOptions.defaults().message("first"));

            assertThat(r.failure()).isNull();
            assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.steps()).extracting(StepRecord::id).containsExactly("quality", "training-set", "train[max_depth=3]", "train[max_depth=5]",
                    "evaluate[max_depth=3]", "evaluate[max_depth=5]", "register[max_depth=3]", "register[max_depth=5]", "baseline[max_depth=3]",
                    "baseline[max_depth=5]", "materialize");
            StepRecord quality = r.step("quality").orElseThrow();
            assertThat(quality.metrics().get("checks")).isGreaterThan(10.0);
            assertThat(quality.inputs()).containsKeys("demo/checks/quality.yaml", "data/loan_table_with_history.csv");
            StepRecord ts = r.step("training-set").orElseThrow();
            assertThat(ts.inputs()).containsKeys("data/loan_table_with_history.csv", "data/credit_history_sample.csv", "demo/features.yaml");
            assertThat(ts.inputs().keySet()).anySatisfy(k -> assertThat(k).startsWith("data/zipcode_table"));
            assertThat(ts.values()).containsKeys("entities_from", "entities_to", "view.credit_history@1.fingerprint");
            assertThat(ts.values().get("entities_from")).startsWith("2020-");
            double auc = r.step("evaluate[max_depth=3]").orElseThrow().metrics().get("auc");
            assertThat(auc).isBetween(0.6, 1.0);
            assertThat(r.step("evaluate[max_depth=3]").orElseThrow().metrics()).containsKeys("logloss", "accuracy");

            StepRecord reg = r.step("register[max_depth=5]").orElseThrow();
            ModelVersion v = site.registry.version("credit-risk", Integer.parseInt(reg.values().get(Lineage.MODEL_VERSION)));
            assertThat(v.provenance().runId()).isEqualTo(r.id());
            assertThat(v.provenance().seed()).isEqualTo(42L);
            assertThat(v.provenance().parameters()).containsEntry("max_depth", "5").containsEntry("rounds", "50");
            assertThat(v.provenance().metrics()).containsEntry("auc", r.step("evaluate[max_depth=5]").orElseThrow().metrics().get("auc"));
            assertThat(v.provenance().trainingData().fingerprint())
                    .isEqualTo("sha256:" + r.step("training-set").orElseThrow().outputs().get("training.parquet"));
            assertThat(v.golden()).hasSize(5);
            assertThat(v.sha256()).isEqualTo(r.step("train[max_depth=5]").orElseThrow().outputs().get("model.json"));
            try (var model = RegistryModels.load(site.registry, "credit-risk", String.valueOf(v.version()))) {
                assertThat(model.signature().features()).hasSizeGreaterThan(10);
            }

            assertThat(r.step("materialize").orElseThrow().values()).containsEntry("rows.credit_history@1", "1000");

            // the registered version's training profile is its monitoring baseline: features and the model's label output
            var baseline = dev.ferry.monitoring.profile.BaselineStore.in(site.data).load("credit-risk", v.version());
            assertThat(baseline.rowCount()).isEqualTo(1000);
            assertThat(baseline.feature("person_income")).isPresent();
            assertThat(baseline.feature("label")).isPresent();
            assertThat(baseline.feature("loan_status")).isEmpty();
            var features = site.online.read("credit_history@1", List.of(EntityKey.of("19530219_5179")), List.of("hard_pulls"));
            assertThat(features.get(0).get("hard_pulls").status()).isEqualTo(FeatureStatus.PRESENT);

            Lineage lineage = new Lineage(site.runs);
            assertThat(lineage.ofModel("credit-risk", v.version())).hasValueSatisfying(o -> assertThat(o.run().id()).isEqualTo(r.id()));
            assertThat(lineage.modelsTrainedOn("data/loan_table_with_history.csv")).extracting(Lineage.TrainedModel::model)
                    .containsOnly("credit-risk").hasSize(2);
            assertThat(lineage.modelsTrainedOn(v.provenance().trainingData().fingerprint())).hasSize(2);

            RunRecord again = site.run(pipeline, RunOptions.defaults());
            assertThat(again.steps()).extracting(StepRecord::status).containsOnly(StepStatus.CACHED);
            assertThat(site.registry.versions("credit-risk")).hasSize(2);
        }
    }

    @Test
    void twoRunsWithOneSeedGiveByteIdenticalModelsAndReproduceMatches() throws Exception {
        Path pipeline = copyExample();
        try (Site a = new Site("a"); Site b = new Site("b")) {
            RunRecord first = a.run(pipeline, RunOptions.defaults());
            RunRecord second = b.run(pipeline, RunOptions.defaults());
            for (String step : List.of("train[max_depth=3]", "train[max_depth=5]")) {
                assertThat(a.model(first, step)).isEqualTo(b.model(second, step));
                assertThat(Hashes.file(a.runner.objects().path(first.step(step).orElseThrow().outputs().get("model.json"))))
                        .isEqualTo(second.step(step).orElseThrow().outputs().get("model.json"));
            }
            assertThat(second.metrics()).isEqualTo(first.metrics());

            Reproducer.Reproduction rep = new Reproducer(a.runs, a.runner).reproduce(first.id());
            assertThat(rep.mismatches()).isEmpty();
            assertThat(rep.rerun().steps()).extracting(StepRecord::status).containsOnly(StepStatus.SUCCEEDED);
            assertThat(rep.rerun().reproduces()).isEqualTo(first.id());
        }
    }

    @Test
    void aChangedSeedOrParameterShowsInTheDiff() throws Exception {
        Path pipeline = copyExample();
        try (Site a = new Site("a")) {
            RunRecord first = a.run(pipeline, RunOptions.defaults());
            RunRecord more = a.run(pipeline, RunOptions.defaults().params(Map.of("rounds", "60")));
            assertThat(more.step("training-set").orElseThrow().status()).isEqualTo(StepStatus.CACHED);
            assertThat(more.step("materialize").orElseThrow().status()).isEqualTo(StepStatus.CACHED);
            assertThat(more.step("train[max_depth=3]").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
            RunDiff diff = RunDiff.of(first, more);
            assertThat(diff.params()).containsExactly(new RunDiff.Change("rounds", "50", "60"));
            assertThat(diff.data()).isEmpty();
            assertThat(diff.outputs()).extracting(RunDiff.Change::key).contains("train[max_depth=3]/model.json");
            assertThat(diff.metrics()).extracting(RunDiff.Change::key).contains("evaluate[max_depth=3]/auc");
        }
    }

    @Test
    void aStaleSourceStopsTheRunBeforeTraining() throws Exception {
        Path pipeline = copyExample();
        // the credit history is a 2020 snapshot: a gate that wants it at most a year old refuses it
        Path checks = pipeline.resolveSibling("demo/checks/fresh.yaml");
        Files.writeString(checks, """
                checks:
                  - view: credit_history
                    freshness: {max_age: 365d}
                """);
        Path strict = pipeline.resolveSibling("strict.yaml");
        Files.writeString(strict, Files.readString(pipeline).replace("checks: demo/checks/quality.yaml", "checks: demo/checks/fresh.yaml"));
        try (Site a = new Site("a")) {
            RunRecord r = a.run(strict, RunOptions.defaults());
            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.failure()).contains("quality").contains("credit_history/freshness").contains("2020-04-26");
            assertThat(r.step("training-set").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
            assertThat(r.steps()).filteredOn(st -> st.id().startsWith("train")).extracting(StepRecord::status)
                    .containsOnly(StepStatus.SKIPPED);
            assertThat(a.registry.models()).isEmpty();
        }
    }

    @Test
    void aFailingQualityCheckStopsTheRunBeforeTrainingAndAnOverrideIsRecorded() throws Exception {
        Path pipeline = copyExample();
        Path loans = pipeline.resolveSibling("data/loan_table_with_history.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(loans));
        lines.add(lines.get(1)); // a duplicated loan_id: the checks require unique loan ids
        Files.write(loans, lines, StandardOpenOption.TRUNCATE_EXISTING);
        try (Site a = new Site("a")) {
            RunRecord r = a.run(pipeline, RunOptions.defaults());
            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.failure()).contains("quality").contains("loan_table").contains("unique");
            assertThat(r.step("training-set").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
            assertThat(a.registry.models()).isEmpty();

            Path overridden = pipeline.resolveSibling("overridden.yaml");
            Files.writeString(overridden, Files.readString(pipeline).replace("      checks: demo/checks/quality.yaml",
                    "      checks: demo/checks/quality.yaml\n      allow: [\"loan_table/unique:loan_id: a known duplicate, fixed upstream next week\"]"));
            RunRecord allowed = a.run(overridden, RunOptions.defaults());
            assertThat(allowed.failure()).isNull();
            assertThat(allowed.step("quality").orElseThrow().values())
                    .containsEntry("allowed.loan_table/unique:loan_id", "a known duplicate, fixed upstream next week");
        }
    }

    @Test
    void aBatchScoreStepPublishesTheRegisteredModelsAnswersAsAnOnlineView() throws Exception {
        Path pipeline = copyExample().resolveSibling("scores.yaml");
        Files.writeString(pipeline, """
                pipeline: credit-scores
                seed: 42
                steps:
                  - id: training-set
                    type: training-set
                    params: {repository: demo, entities: data/loan_table_with_history.csv, service: credit_model}
                  - id: train
                    type: train-xgboost
                    depends_on: [training-set]
                    params: {label: loan_status, exclude: [loan_id, dob_ssn, zipcode, city, state], objective: "binary:logistic",
                             rounds: 20, max_depth: 3}
                  - {id: evaluate, type: evaluate, depends_on: [train]}
                  - {id: register, type: register, depends_on: [evaluate], params: {model: credit-risk}}
                  - id: score
                    type: batch-score
                    depends_on: [register]
                    params: {model: credit-risk, keys: [loan_id], table_from: training.parquet, online_view: credit_scores, workers: 2}
                """);
        try (Site a = new Site("a")) {
            RunRecord r = a.run(pipeline, RunOptions.defaults());
            assertThat(r.failure()).isNull();
            StepRecord score = r.step("score").orElseThrow();
            assertThat(score.metrics().get("rows_scored")).isEqualTo(1000.0);
            assertThat(score.values().get("model")).isEqualTo("credit-risk@" + r.step("register").orElseThrow().values().get(Lineage.MODEL_VERSION));
            assertThat(score.outputs()).containsKey("scores.parquet");

            // the published version answers for a loan exactly what the registered model predicts for its row
            var pointer = dev.ferry.online.ViewPointers.in(a.online, Clock.systemUTC()).get("credit_scores").orElseThrow();
            Path trainingSet = a.runner.objects().path(r.step("training-set").orElseThrow().outputs().get("training.parquet"));
            try (var duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                 var rs = duck.createStatement().executeQuery("SELECT * FROM read_parquet('" + trainingSet + "') ORDER BY loan_id LIMIT 3");
                 var model = RegistryModels.load(a.registry, "credit-risk", "1")) {
                while (rs.next()) {
                    long loan = rs.getLong("loan_id");
                    java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (var f : model.signature().features()) {
                        Object v = rs.getObject(f.name());
                        row.put(f.name(), v);
                    }
                    float[] expected = (float[]) model.predictRows(List.of(new dev.ferry.types.Row(row))).get(0).get("probabilities");
                    var stored = a.online.read(pointer.onlineName(), List.of(EntityKey.of(loan)), List.of("probabilities")).get(0).get("probabilities");
                    assertThat(stored.status()).isEqualTo(FeatureStatus.PRESENT);
                    assertThat((float[]) stored.value()).containsExactly(expected);
                }
            }
        }
    }

    @Test
    void reproduceDetectsATamperedInput() throws Exception {
        Path pipeline = copyExample();
        try (Site a = new Site("a")) {
            RunRecord first = a.run(pipeline, RunOptions.defaults());
            Path loans = pipeline.resolveSibling("data/loan_table_with_history.csv");
            List<String> lines = Files.readAllLines(loans);
            // flip the label of the first application that did not default
            int row = 1;
            while (!lines.get(row).contains(",0,2021")) {
                row++;
            }
            lines.set(row, lines.get(row).replaceFirst(",0,2021", ",1,2021"));
            Files.write(loans, lines, StandardOpenOption.TRUNCATE_EXISTING);

            Reproducer.Reproduction rep = new Reproducer(a.runs, a.runner).reproduce(first.id());
            assertThat(rep.matches()).isFalse();
            assertThat(rep.mismatches()).anySatisfy(m -> assertThat(m).contains("step 'training-set' output training.parquet"));
            assertThat(rep.mismatches()).anySatisfy(m -> assertThat(m).contains("model.json"));
            assertThat(rep.diff().data()).extracting(RunDiff.Change::key).contains("training-set/data/loan_table_with_history.csv");
        }
    }

    @Test
    void aLightGbmModelTrainsByteIdenticallyAndPassesTheRegistryGate() throws Exception {
        Path pipeline = copyExample().resolveSibling("lightgbm.yaml");
        Files.writeString(pipeline, """
                pipeline: credit-lightgbm
                seed: 7
                steps:
                  - id: training-set
                    type: training-set
                    params: {repository: demo, entities: data/loan_table_with_history.csv, service: credit_model}
                  - id: train
                    type: train-lightgbm
                    depends_on: [training-set]
                    params: {label: loan_status, exclude: [loan_id, dob_ssn, zipcode, city, state], rounds: 30,
                             num_leaves: 15, learning_rate: 0.1, bagging_fraction: 0.8, bagging_freq: 1}
                  - {id: evaluate, type: evaluate, depends_on: [train]}
                  - {id: register, type: register, depends_on: [evaluate], params: {model: credit-lgbm}}
                """);
        try (Site a = new Site("a"); Site b = new Site("b")) {
            RunRecord first = a.run(pipeline, RunOptions.defaults());
            RunRecord second = b.run(pipeline, RunOptions.defaults());
            assertThat(first.failure()).isNull();
            String model = first.step("train").orElseThrow().outputs().get("model.txt");
            assertThat(model).isEqualTo(second.step("train").orElseThrow().outputs().get("model.txt"));
            assertThat(first.step("evaluate").orElseThrow().metrics().get("auc")).isBetween(0.6, 1.0);
            ModelVersion v = a.registry.version("credit-lgbm", 1);
            assertThat(v.format()).isEqualTo(dev.ferry.model.ModelFormat.LIGHTGBM);
            assertThat(v.sha256()).isEqualTo(model);
            assertThat(v.golden()).hasSize(5);
            assertThat(v.provenance().parameters()).containsEntry("num_leaves", "15").containsEntry("deterministic", "true");
        }
    }
}
