package dev.ferry.cli.demo;

import dev.ferry.online.OnlineStore;
import dev.ferry.pipeline.PipelineEnvironment;
import dev.ferry.pipeline.PipelineRunner;
import dev.ferry.pipeline.PipelineYaml;
import dev.ferry.pipeline.RunListener;
import dev.ferry.pipeline.RunOptions;
import dev.ferry.pipeline.runs.FileRunStore;
import dev.ferry.pipeline.runs.Lineage;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStore;
import dev.ferry.pipeline.runs.StepRecord;

import dev.ferry.InvalidInputException;
import dev.ferry.features.ApplyResult;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.QueryResult;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.model.Model;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.registry.store.RegistryModels;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * The credit-scoring flow the demo runs: apply the feature repository, build a point-in-time
 * training set from loan applications, train an XGBoost model, register it with golden examples
 * and lineage, and load it back through the validation gate. Each method is one step, so the
 * demo command and its test drive the same code.
 */
public final class CreditDemo {

    /** Features the caller sends with the request (from the loan application itself). */
    static final List<Field> REQUEST_FEATURES = List.of(
            Field.of("person_age", FeatureType.INT64), Field.of("person_income", FeatureType.INT64),
            Field.of("person_home_ownership", FeatureType.STRING), Field.of("person_emp_length", FeatureType.FLOAT64),
            Field.of("loan_intent", FeatureType.STRING), Field.of("loan_amnt", FeatureType.INT64),
            Field.of("loan_int_rate", FeatureType.FLOAT64));

    /** Features the feature store supplies, by view. */
    static final List<String> STORE_FEATURES = List.of(
            "credit_card_due", "mortgage_due", "student_loan_due", "vehicle_loan_due", "hard_pulls",
            "missed_payments_2y", "missed_payments_1y", "missed_payments_6m", "bankruptcies",
            "tax_returns_filed", "population", "total_wages", "location_type");

    static final List<String> CATEGORICAL = List.of("person_home_ownership", "loan_intent", "location_type");

    public static final String MODEL = "credit-risk";
    public static final long SEED = 42;

    private final Path home;
    private final Path work;

    /**
     * @param home the Ferry checkout (holds examples/credit)
     * @param work the demo's own directory; emptied first
     */
    public CreditDemo(Path home, Path work) {
        this.home = home;
        this.work = work;
    }

    Path examples() {
        return home.resolve("examples/credit");
    }

    public Path featureRegistryDir() {
        return work.resolve("features");
    }

    public Path modelRegistryDir() {
        return work.resolve("registry");
    }

    /** Empties the demo directory so every run starts the same way. */
    public void reset() throws IOException {
        if (!Files.isDirectory(examples().resolve("demo"))) {
            throw new InvalidInputException("the demo data was expected at " + examples() + " but is not there; run ./ferry demo from a Ferry checkout");
        }
        if (Files.exists(work)) {
            try (var walk = Files.walk(work)) {
                for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work);
    }

    /** Step 1: validates and records the feature definitions. */
    public ApplyResult applyFeatures() {
        FeatureRegistry registry = FeatureRegistry.open(featureRegistryDir());
        return registry.apply(FeatureRepository.load(examples().resolve("demo")));
    }

    /**
     * What the tracked pipeline run left: its record, the training set's manifest, the versions it
     * registered (depth 3: the champion; depth 5: the challenger) and the quality warnings.
     */
    public record PipelineRun(RunRecord record, TrainingSetManifest manifest, int champion, int challenger, List<String> qualityWarnings) {
    }

    /**
     * Runs {@code examples/credit/pipeline.yaml} in the demo directory: the quality gate, the
     * point-in-time training set, one XGBoost model per tree depth, evaluation, registration with
     * golden examples and lineage, and materialization into {@code online}. The run is recorded
     * in {@code <work>/runs}, so {@code ferry runs show|diff|reproduce} work on it.
     */
    public PipelineRun runPipeline(ModelRegistry registry, OnlineStore online, java.util.function.Consumer<StepRecord> onStep) {
        try (RunStore runs = FileRunStore.open(work.resolve("runs"))) {
            PipelineRunner runner = PipelineRunner.builder(PipelineEnvironment.builder(work).modelRegistry(registry).onlineStore(online)
                    .user("demo").build(), runs).workers(2).listener(new RunListener() {
                        @Override
                        public void stepFinished(StepRecord step) {
                            onStep.accept(step);
                        }
                    }).build();
            RunRecord run = runner.run(PipelineYaml.load(examples().resolve("pipeline.yaml"), runner.types()),
                    RunOptions.defaults().message("ferry demo"));
            if (run.failure() != null) {
                throw new dev.ferry.ValidationFailedException("the credit pipeline failed: " + run.failure());
            }
            StepRecord trainingSet = run.step("training-set").orElseThrow();
            TrainingSetManifest manifest = TrainingSetManifest.read(runner.objects().path(trainingSet.outputs().get("manifest.json")));
            int champion = Integer.parseInt(run.step("register[max_depth=3]").orElseThrow().values().get(Lineage.MODEL_VERSION));
            int challenger = Integer.parseInt(run.step("register[max_depth=5]").orElseThrow().values().get(Lineage.MODEL_VERSION));
            List<String> warnings = new ArrayList<>();
            run.step("quality").orElseThrow().values().forEach((k, v) -> {
                if (k.startsWith("check.")) {
                    warnings.add(k.substring("check.".length()) + " " + v);
                }
            });
            return new PipelineRun(run, manifest, champion, challenger, warnings);
        }
    }

    /** Metrics shortened for one line: three decimals, counts as integers. */
    public static String brief(Map<String, Double> metrics) {
        List<String> parts = new ArrayList<>();
        metrics.forEach((k, v) -> parts.add(k + "=" + (v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString(v.longValue())
                : String.format(java.util.Locale.ROOT, "%.3f", v))));
        return String.join(" ", parts);
    }

    /** The training rows and labels read back from the training set. */
    public record Dataset(List<Row> rows, float[] labels, List<Map<String, Object>> entities) {
    }

    public Dataset readTrainingSet(TrainingSetManifest manifest) {
        FeatureRegistry registry = FeatureRegistry.open(featureRegistryDir());
        StringBuilder select = new StringBuilder("SELECT CAST(loan_status AS INTEGER) AS loan_status, dob_ssn, zipcode");
        for (Field f : REQUEST_FEATURES) {
            select.append(", CAST(").append(f.name()).append(" AS ").append(f.type().scalar().isInteger() ? "BIGINT"
                    : f.type().scalar().isFloating() ? "DOUBLE" : "VARCHAR").append(") AS ").append(f.name());
        }
        for (String f : STORE_FEATURES) {
            select.append(", ").append(f);
        }
        select.append(" FROM read_parquet('").append(manifest.output().path().replace("'", "''")).append("') ORDER BY loan_id");
        try (OfflineStore store = OfflineStore.open(registry)) {
            QueryResult result = store.sql(select.toString(), Integer.MAX_VALUE);
            List<Row> rows = new ArrayList<>(result.rows().size());
            float[] labels = new float[result.rows().size()];
            List<Map<String, Object>> entities = new ArrayList<>(labels.length);
            for (int i = 0; i < labels.length; i++) {
                Row r = result.rows().get(i);
                labels[i] = ((Number) r.get("loan_status")).floatValue();
                entities.add(Map.of("dob_ssn", r.get("dob_ssn"), "zipcode", r.get("zipcode")));
                Map<String, Object> features = new LinkedHashMap<>(r.values());
                features.remove("loan_status");
                features.remove("dob_ssn");
                features.remove("zipcode");
                rows.add(new Row(features));
            }
            return new Dataset(rows, labels, entities);
        }
    }

    /** A seeded train/test split. */
    public record Split(Dataset train, Dataset test) {
    }

    public Split split(Dataset data, double testShare) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < data.rows().size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(SEED));
        int testSize = (int) Math.round(idx.size() * testShare);
        return new Split(subset(data, idx.subList(testSize, idx.size())), subset(data, idx.subList(0, testSize)));
    }

    private static Dataset subset(Dataset d, List<Integer> idx) {
        List<Row> rows = new ArrayList<>(idx.size());
        List<Map<String, Object>> entities = new ArrayList<>(idx.size());
        float[] labels = new float[idx.size()];
        for (int i = 0; i < idx.size(); i++) {
            rows.add(d.rows().get(idx.get(i)));
            entities.add(d.entities().get(idx.get(i)));
            labels[i] = d.labels()[idx.get(i)];
        }
        return new Dataset(rows, labels, entities);
    }

    public ModelRegistry openRegistry() {
        return FileModelRegistry.open(modelRegistryDir());
    }

    /** Step 5: loads a version back through the validation gate (hash, signature, golden examples). */
    public Model load(ModelRegistry registry, String ref) {
        return RegistryModels.load(registry, MODEL, ref);
    }
}
