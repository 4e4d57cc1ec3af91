package dev.ferry.xgboost;

import dev.ferry.InvalidInputException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelSignature;
import dev.ferry.model.RowTensors;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains an XGBoost model from rows of named values with XGBoost4J. The rows become the training
 * matrix through {@link RowTensors}, the same path that serving uses, so a model trained here sees
 * at serving time exactly the encoding it was trained on (categories to codes, missing to NaN).
 * Training is single-threaded and seeded, so the same rows, parameters and seed give a
 * byte-identical model.
 */
public final class XGBoostTrainer {

    private XGBoostTrainer() {
    }

    /**
     * A trained model.
     *
     * @param modelJson  the model in XGBoost's JSON format
     * @param signature  the signature to register it with (features, categories, input)
     * @param parameters every training parameter, as recorded for provenance
     */
    public record Trained(byte[] modelJson, ModelSignature signature, Map<String, String> parameters) {
    }

    /**
     * The signature for {@code features}: packed into one float32 input, categorical features
     * (those with an entry in {@code categories}) coded by their position in the list.
     */
    public static ModelSignature signature(List<Field> features, Map<String, List<String>> categories) {
        return new ModelSignature(features, InputLayout.PACKED,
                List.of(TensorSpec.of("input", ScalarType.FLOAT32, -1, features.size())), List.of(), categories);
    }

    /**
     * Trains for {@code rounds} boosting rounds.
     *
     * @param signature from {@link #signature}
     * @param rows      training rows (feature values by name)
     * @param labels    one label per row
     * @param params    XGBoost parameters (objective, max_depth, eta, ...); {@code seed} and
     *                  {@code nthread} are set by this method
     * @param rounds    boosting rounds
     * @param seed      random seed
     */
    public static Trained train(ModelSignature signature, List<Row> rows, float[] labels, Map<String, Object> params,
                                int rounds, long seed) {
        if (rows.size() != labels.length) {
            throw new InvalidInputException("labels had " + labels.length + " values but there are " + rows.size() + " rows");
        }
        if (rows.isEmpty()) {
            throw new InvalidInputException("rows was empty but training needs at least one row");
        }
        if (rounds <= 0) {
            throw new InvalidInputException("rounds was " + rounds + " but it must be positive");
        }
        Tensor input = RowTensors.toInputs(signature, rows).get(signature.inputs().get(0).name());
        float[] data = input.type() == ScalarType.FLOAT32 ? input.floats() : floats(input);
        Map<String, Object> all = new TreeMap<>(params);
        all.put("seed", seed);
        all.put("nthread", 1);
        all.putIfAbsent("tree_method", "hist");
        DMatrix matrix = null;
        Booster booster = null;
        try {
            matrix = new DMatrix(data, rows.size(), signature.features().size(), Float.NaN);
            matrix.setLabel(labels);
            matrix.setFeatureNames(signature.featureNames().toArray(String[]::new));
            matrix.setFeatureTypes(featureTypes(signature));
            booster = XGBoost.train(matrix, all, rounds, Map.of(), null, null);
            byte[] json = booster.toByteArray("json");
            Map<String, String> recorded = new LinkedHashMap<>();
            all.forEach((k, v) -> recorded.put(k, String.valueOf(v)));
            recorded.put("rounds", String.valueOf(rounds));
            return new Trained(json, signature, recorded);
        } catch (XGBoostError e) {
            throw new InvalidInputException("XGBoost refused the training data or parameters " + all + ": " + e.getMessage());
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    private static float[] floats(Tensor t) {
        float[] out = new float[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) t.getDouble(i);
        }
        return out;
    }

    private static String[] featureTypes(ModelSignature signature) {
        List<String> types = new ArrayList<>();
        for (Field f : signature.features()) {
            if (signature.categories().containsKey(f.name())) {
                types.add("c");
            } else if (f.type().scalar() == ScalarType.BOOL) {
                types.add("i");
            } else if (f.type().scalar().isInteger()) {
                types.add("int");
            } else {
                types.add("float");
            }
        }
        return types.toArray(String[]::new);
    }
}
