package dev.ferry.e2e;

import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.model.RowTensors;
import dev.ferry.online.EntityKey;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.serving.OnlineStoreFeatureFetcher.OnlineView;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A click-through scenario over the real serving pieces: 20 features (8 from a {@code user_stats}
 * view keyed by {@code user_id}, 8 from an {@code item_stats} view keyed by {@code item_id}, 4
 * sent with the request), seeded synthetic data, and XGBoost GBDTs trained on it with
 * {@link XGBoostTrainer}. The end-to-end tests and the load generator both build on it, so the
 * figures describe the model the tests prove correct.
 */
public final class CtrScenario {

    public static final String MODEL = "ctr";
    public static final String SMALL_MODEL = "ctr-small";
    public static final String USER_VIEW = "user_stats";
    public static final String ITEM_VIEW = "item_stats";
    public static final int USERS = 1_000;
    public static final int ITEMS = 500;
    public static final Instant EVENT_TIME = Instant.parse("2026-01-01T00:00:00Z");

    static final List<String> USER_FEATURES = names("u", 8);
    static final List<String> ITEM_FEATURES = names("i", 8);
    static final List<String> REQUEST_FEATURES = names("r", 4);

    private final long seed;
    private final double[][] users;
    private final double[][] items;

    /** The same seed gives the same users, items, training rows and models. */
    public CtrScenario(long seed) {
        this.seed = seed;
        Random random = new Random(seed);
        this.users = table(random, USERS, USER_FEATURES.size());
        this.items = table(random, ITEMS, ITEM_FEATURES.size());
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return List.copyOf(out);
    }

    private static double[][] table(Random random, int rows, int cols) {
        double[][] t = new double[rows][cols];
        for (double[] r : t) {
            for (int c = 0; c < cols; c++) {
                r[c] = Math.round(random.nextGaussian() * 1000) / 1000.0;
            }
        }
        return t;
    }

    /** The model's 20 features, all float64: user, item, then request-time features. */
    public static List<Field> features() {
        List<Field> out = new ArrayList<>();
        for (List<String> group : List.of(USER_FEATURES, ITEM_FEATURES, REQUEST_FEATURES)) {
            group.forEach(n -> out.add(Field.of(n, FeatureType.FLOAT64)));
        }
        return out;
    }

    /** The two online views as the serving engine reads them. */
    public static List<OnlineView> views() {
        return List.of(
                new OnlineView(USER_VIEW, USER_VIEW + "@1", List.of(Field.required("user_id", FeatureType.INT64)), USER_FEATURES,
                        Optional.empty()),
                new OnlineView(ITEM_VIEW, ITEM_VIEW + "@1", List.of(Field.required("item_id", FeatureType.INT64)), ITEM_FEATURES,
                        Optional.empty()));
    }

    /** {@code view:feature} references of the stored features, as recorded in the model's provenance. */
    static List<String> references() {
        List<String> out = new ArrayList<>();
        USER_FEATURES.forEach(f -> out.add(USER_VIEW + ":" + f));
        ITEM_FEATURES.forEach(f -> out.add(ITEM_VIEW + ":" + f));
        return out;
    }

    /** Writes every user's and item's features into the online store. */
    public void materialize(OnlineStore store) {
        store.write(USER_VIEW + "@1", records(users, USER_FEATURES));
        store.write(ITEM_VIEW + "@1", records(items, ITEM_FEATURES));
    }

    private static List<OnlineRecord> records(double[][] table, List<String> names) {
        List<OnlineRecord> out = new ArrayList<>(table.length);
        for (int id = 1; id <= table.length; id++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                values.put(names.get(c), table[id - 1][c]);
            }
            out.add(new OnlineRecord(EntityKey.of((long) id), values, EVENT_TIME));
        }
        return out;
    }

    /** Request-time features of request number {@code n} (deterministic). */
    public Map<String, Object> requestFeatures(long n) {
        Random random = new Random(seed * 31 + n);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : REQUEST_FEATURES) {
            out.put(f, Math.round(random.nextGaussian() * 1000) / 1000.0);
        }
        return out;
    }

    /** The full feature row the model sees for a user, an item and request-time features. */
    public Row row(long userId, long itemId, Map<String, Object> request) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int c = 0; c < USER_FEATURES.size(); c++) {
            values.put(USER_FEATURES.get(c), users[(int) userId - 1][c]);
        }
        for (int c = 0; c < ITEM_FEATURES.size(); c++) {
            values.put(ITEM_FEATURES.get(c), items[(int) itemId - 1][c]);
        }
        REQUEST_FEATURES.forEach(f -> values.put(f, request.get(f)));
        return new Row(values);
    }

    /** A trained model, its file and the signature it was trained with. */
    public record Trained(XGBoostTrainer.Trained trained, Path file, List<Row> goldenRows) {
    }

    /**
     * Trains a binary:logistic GBDT on {@code rows} seeded rows (clicks from a hidden logistic
     * rule over user, item and request features).
     */
    public Trained train(Path dir, String fileName, List<Field> features, int rounds, int maxDepth, int rows) {
        Random random = new Random(seed + rounds);
        List<Row> data = new ArrayList<>(rows);
        float[] labels = new float[rows];
        List<String> names = features.stream().map(Field::name).toList();
        for (int i = 0; i < rows; i++) {
            long user = 1 + random.nextInt(USERS);
            long item = 1 + random.nextInt(ITEMS);
            Row full = row(user, item, requestFeatures(1_000_000L + i));
            double z = 0;
            int k = 0;
            for (String n : names) {
                double v = ((Number) full.get(n)).doubleValue();
                z += (k % 3 == 0 ? 0.8 : k % 3 == 1 ? -0.5 : 0.3) * v + (k % 4 == 0 ? 0.4 * v * v : 0);
                k++;
            }
            labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-(z - 1))) ? 1f : 0f;
            Map<String, Object> values = new LinkedHashMap<>();
            names.forEach(n -> values.put(n, full.get(n)));
            data.add(new Row(values));
        }
        ModelSignature signature = XGBoostTrainer.signature(features, Map.of());
        XGBoostTrainer.Trained t = XGBoostTrainer.train(signature, data, labels,
                Map.of("objective", "binary:logistic", "max_depth", maxDepth, "eta", 0.1), rounds, seed);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(fileName);
            Files.write(file, t.modelJson());
            return new Trained(t, file, data.subList(0, 5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a trained model with five golden examples scored by XGBoost4J directly. */
    public static ModelVersion register(ModelRegistry registry, String name, Trained model) {
        float[] p = xgboostScores(model.trained(), model.goldenRows());
        List<GoldenExample> golden = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            golden.add(new GoldenExample(model.goldenRows().get(i).values(), Map.of("probabilities", List.of(1.0 - p[i], (double) p[i])),
                    1e-6));
        }
        List<String> refs = new ArrayList<>();
        for (String ref : references()) {
            if (model.trained().signature().featureNames().contains(ref.substring(ref.indexOf(':') + 1))) {
                refs.add(ref);
            }
        }
        Provenance provenance = new Provenance(null, refs, model.trained().parameters(), null, Map.of(), null, null);
        return registry.register(new RegisterRequest(name, model.file(), ModelFormat.XGBOOST,
                Optional.of(model.trained().signature()), provenance, golden, "e2e", "synthetic click-through model"));
    }

    private static final Map<XGBoostTrainer.Trained, Booster> BOOSTERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Probabilities of a click computed by XGBoost4J itself, bypassing Ferry's runtime. */
    public static float[] xgboostScores(XGBoostTrainer.Trained t, List<Row> rows) {
        ModelSignature signature = t.signature();
        float[] x = RowTensors.toInputs(signature, rows).get("input").floats();
        try {
            Booster booster = BOOSTERS.computeIfAbsent(t, CtrScenario::load);
            DMatrix m = new DMatrix(x, rows.size(), signature.features().size(), Float.NaN);
            try {
                float[][] p;
                synchronized (booster) {
                    p = booster.predict(m);
                }
                float[] out = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    out[i] = p[i][0];
                }
                return out;
            } finally {
                m.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not score the rows", e);
        }
    }

    private static Booster load(XGBoostTrainer.Trained t) {
        try {
            return XGBoost.loadModel(t.modelJson());
        } catch (XGBoostError | IOException e) {
            throw new IllegalStateException("XGBoost could not load the model", e);
        }
    }

    /** The request-time features alone: the small fallback model's inputs. */
    public static List<Field> requestOnlyFeatures() {
        return REQUEST_FEATURES.stream().map(n -> Field.of(n, FeatureType.FLOAT64)).toList();
    }
}
