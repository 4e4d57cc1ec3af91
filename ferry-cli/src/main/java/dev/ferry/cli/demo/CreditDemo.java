package dev.ferry.cli.demo;

import dev.ferry.InvalidInputException;
import dev.ferry.features.ApplyResult;
import dev.ferry.features.EntityRows;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.QueryResult;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.features.TrainingSetRequest;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.model.RowTensors;
import dev.ferry.registry.CodeVersion;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.registry.store.RegistryModels;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

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

    /** Step 2: the point-in-time training set of the loan applications. */
    public TrainingSetManifest trainingSet() {
        FeatureRegistry registry = FeatureRegistry.open(featureRegistryDir());
        try (OfflineStore store = OfflineStore.open(registry)) {
            return store.trainingSet(TrainingSetRequest.builder()
                    .entities(EntityRows.file(examples().resolve("data/loan_table_with_history.csv")))
                    .service("credit_model")
                    .fullFeatureNames(false)
                    .output(work.resolve("training/credit.parquet"))
                    .build());
        }
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

    /** The model's features: request features, then store features typed as the views declare them. */
    public ModelSignature signature(Dataset data) {
        List<Field> features = new ArrayList<>(REQUEST_FEATURES);
        for (String f : STORE_FEATURES) {
            features.add(Field.of(f, f.equals("location_type") ? FeatureType.STRING : FeatureType.INT64));
        }
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (String c : CATEGORICAL) {
            TreeSet<String> values = new TreeSet<>();
            for (Row r : data.rows()) {
                Object v = r.get(c);
                if (v != null) {
                    values.add(v.toString());
                }
            }
            categories.put(c, List.copyOf(values));
        }
        return XGBoostTrainer.signature(features, categories);
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

    /** A trained model with its evaluation. */
    public record TrainedModel(XGBoostTrainer.Trained trained, Path file, double auc, float[] testScores) {
    }

    /** Step 3: trains and evaluates one model; XGBoost itself scores the test rows. */
    public TrainedModel train(String name, ModelSignature signature, Split split, int maxDepth, int rounds) throws IOException {
        XGBoostTrainer.Trained t = XGBoostTrainer.train(signature, split.train().rows(), split.train().labels(),
                Map.of("objective", "binary:logistic", "max_depth", maxDepth, "eta", 0.1, "subsample", 0.9), rounds, SEED);
        Path file = work.resolve("models/" + name + ".json");
        Files.createDirectories(file.getParent());
        Files.write(file, t.modelJson());
        float[] scores = xgboostScores(t, signature, split.test().rows());
        return new TrainedModel(t, file, Auc.of(scores, split.test().labels()), scores);
    }

    /** Probabilities of the positive class computed by XGBoost4J directly (the golden reference). */
    static float[] xgboostScores(XGBoostTrainer.Trained t, ModelSignature signature, List<Row> rows) {
        float[] x = RowTensors.toInputs(signature, rows).get("input").floats();
        try {
            Booster booster = XGBoost.loadModel(t.modelJson());
            DMatrix m = new DMatrix(x, rows.size(), signature.features().size(), Float.NaN);
            float[][] p = booster.predict(m);
            m.dispose();
            booster.dispose();
            float[] out = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = p[i][0];
            }
            return out;
        } catch (XGBoostError | IOException e) {
            throw new IllegalStateException("XGBoost could not score the test rows", e);
        }
    }

    /** Step 4: registers a trained model with golden examples from the test rows and full lineage. */
    public ModelVersion register(ModelRegistry registry, TrainedModel model, Split split, TrainingSetManifest manifest,
                                 String user, String message) {
        List<GoldenExample> golden = new ArrayList<>();
        for (int i = 0; i < Math.min(5, split.test().rows().size()); i++) {
            Map<String, Object> inputs = new LinkedHashMap<>(split.test().rows().get(i).values());
            double p = model.testScores()[i];
            golden.add(new GoldenExample(inputs, Map.of("probabilities", List.of(1.0 - p, p)), 1e-6));
        }
        Provenance provenance = new Provenance(manifest.toTrainingData(), manifest.features(), model.trained().parameters(),
                SEED, Map.of("auc", model.auc(), "train_rows", (double) split.train().rows().size(),
                        "test_rows", (double) split.test().rows().size()), codeVersion(), null);
        return registry.register(new RegisterRequest(MODEL, model.file(), ModelFormat.XGBOOST,
                Optional.of(model.trained().signature()), provenance, golden, user, message));
    }

    public ModelRegistry openRegistry() {
        return FileModelRegistry.open(modelRegistryDir());
    }

    /** Step 5: loads a version back through the validation gate (hash, signature, golden examples). */
    public Model load(ModelRegistry registry, String ref) {
        return RegistryModels.load(registry, MODEL, ref);
    }

    /** The git commit of the checkout, if it is one. */
    CodeVersion codeVersion() {
        try {
            Process p = new ProcessBuilder("git", "-C", home.toString(), "rev-parse", "HEAD").redirectErrorStream(true).start();
            String commit = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0 || commit.length() < 40) {
                return CodeVersion.UNKNOWN;
            }
            Process s = new ProcessBuilder("git", "-C", home.toString(), "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            boolean dirty = !new String(s.getInputStream().readAllBytes()).isBlank();
            s.waitFor();
            return new CodeVersion(commit, dirty);
        } catch (IOException e) {
            return CodeVersion.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CodeVersion.UNKNOWN;
        }
    }
}
