package dev.ferry.registry.mlflow;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.CodeVersion;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns an MLflow model directory (an {@code MLmodel} file with an {@code onnx},
 * {@code xgboost} or {@code lightgbm} flavour) into a Ferry {@link RegisterRequest}. The
 * signature comes from MLflow's (feature names and types), the lineage from the MLmodel file,
 * and the golden examples from the input example with the outputs the model computes at import
 * time: they pin today's behaviour, so a later runtime that predicts differently is refused.
 */
public final class MlflowImporter {

    /** The flavours Ferry can serve, in the order they are preferred when several are present. */
    static final List<String> FLAVORS = List.of("onnx", "xgboost", "lightgbm");

    private MlflowImporter() {
    }

    /** Reads and checks the directory without loading the model. */
    @SuppressWarnings("unchecked")
    public static MlflowModel read(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        Path mlmodel = dir.resolve("MLmodel");
        if (!Files.isRegularFile(mlmodel)) {
            throw new NotFoundException(dir + " is not an MLflow model directory: it has no MLmodel file"
                    + (Files.isDirectory(dir) ? "" : " (the directory does not exist)"));
        }
        Map<String, Object> doc = yaml(mlmodel);
        Map<String, Object> flavors = doc.get("flavors") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String flavor = FLAVORS.stream().filter(flavors::containsKey).findFirst().orElseThrow(() -> new InvalidInputException(
                mlmodel + " has the flavours " + flavors.keySet() + " but Ferry imports only " + FLAVORS
                        + "; log the model with mlflow.onnx, mlflow.xgboost or mlflow.lightgbm"));
        Map<String, Object> conf = flavors.get(flavor) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Path data = dataFile(dir, mlmodel, flavor, conf);
        MlflowSignatures.Inputs inputs = MlflowSignatures.inputs(doc.get("signature"), mlmodel);
        List<Map<String, Object>> example = MlflowExamples.read(dir, doc, inputs, mlmodel);
        return new MlflowModel(dir, flavor, ModelFormat.parse(flavor), data, inputs.columns(), inputs.columnNames(),
                inputs.tensors(), example, provenance(doc, flavor, conf));
    }

    /** {@link #read} then {@link #toRequest}. */
    public static RegisterRequest importRequest(Path directory, String name, String createdBy, String message) {
        return toRequest(read(directory), name, createdBy, message);
    }

    /**
     * Loads the model through its runtime with the MLflow signature as the claim, runs the input
     * example, and builds the request. Throws {@link ValidationFailedException} when the
     * artifact contradicts the MLflow signature.
     */
    public static RegisterRequest toRequest(MlflowModel m, String name, String createdBy, String message) {
        ModelSignature own;
        try (Model probe = ModelRuntimes.load(m.format(), ModelLoadRequest.of(m.dataFile()))) {
            own = probe.signature();
        }
        ModelSignature claimed = claim(m, own);
        try (Model model = ModelRuntimes.load(m.format(), ModelLoadRequest.of(m.dataFile(), claimed))) {
            List<GoldenExample> golden = golden(m, model);
            String msg = message == null || message.isBlank()
                    ? "imported from MLflow" + (m.provenance().runId() == null ? "" : " run " + m.provenance().runId())
                    : message;
            return new RegisterRequest(name, m.dataFile(), m.format(), Optional.of(model.signature()), m.provenance(), golden,
                    createdBy, msg);
        }
    }

    private static ModelSignature claim(MlflowModel m, ModelSignature own) {
        if (!m.tensors().isEmpty()) {
            for (TensorSpec t : m.tensors()) {
                TensorSpec actual = own.input(t.name()).orElseThrow(() -> new ValidationFailedException("the MLflow signature of "
                        + m.directory() + " has the input tensor '" + t.name() + "' but the model's inputs are " + own.inputs()));
                if (actual.type() != t.type() || !shapesAgree(actual.shape(), t.shape())) {
                    throw new ValidationFailedException("the MLflow signature of " + m.directory() + " declares input " + t
                            + " but the model has " + actual);
                }
            }
            return own;
        }
        if (m.columns().isEmpty()) {
            return own;
        }
        if (own.layout() == InputLayout.PACKED && own.features().size() != m.columns().size()) {
            throw new ValidationFailedException("the MLflow signature of " + m.directory() + " has " + m.columns().size()
                    + " columns " + m.columnNames().values() + " but the model has " + own.features().size() + " features");
        }
        Map<String, List<String>> categories = new LinkedHashMap<>();
        for (int i = 0; i < own.features().size() && i < m.columns().size(); i++) {
            List<String> cats = own.categories().get(own.features().get(i).name());
            if (cats != null) {
                categories.put(m.columns().get(i).name(), cats);
            }
        }
        return new ModelSignature(m.columns(), own.layout(), own.inputs(), own.outputs(), categories);
    }

    private static boolean shapesAgree(long[] a, long[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static List<GoldenExample> golden(MlflowModel m, Model model) {
        if (m.example().isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Map<String, Object> r : m.example()) {
            inputs.add(packedByPosition(r, model.signature()));
        }
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> r : inputs) {
            rows.add(new Row(r));
        }
        List<Row> outputs;
        try {
            outputs = model.predictRows(rows);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("the input example of " + m.directory() + " does not fit the model: " + e.getMessage(), e);
        }
        List<GoldenExample> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> expected = new LinkedHashMap<>();
            outputs.get(i).values().forEach((k, v) -> expected.put(k, jsonValue(v)));
            out.add(new GoldenExample(inputs.get(i), expected, GoldenExample.DEFAULT_TOLERANCE));
        }
        return out;
    }

    /**
     * A tensor example row ({@code {"float_input": [5.1, 3.5, 1.4, 0.2]}}) for a packed model
     * becomes one value per feature, in signature order; other rows are kept as they are.
     */
    private static Map<String, Object> packedByPosition(Map<String, Object> row, ModelSignature sig) {
        if (sig.layout() != InputLayout.PACKED || row.size() != 1) {
            return row;
        }
        String input = row.containsKey(MlflowExamples.POSITIONAL) ? MlflowExamples.POSITIONAL : sig.inputs().get(0).name();
        if (!(row.get(input) instanceof List<?> values) || sig.features().stream().anyMatch(f -> f.name().equals(input))) {
            return row;
        }
        if (values.size() != sig.features().size()) {
            throw new InvalidInputException("an input example row gives " + values.size() + " values but the model has " + sig.features().size() + " features " + sig.featureNames());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            out.put(sig.features().get(i).name(), values.get(i));
        }
        return out;
    }

    /** An output value as JSON can hold it: boxed numbers stay, primitive arrays become lists. */
    static Object jsonValue(Object v) {
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v != null && v.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(v);
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(jsonValue(java.lang.reflect.Array.get(v, i)));
            }
            return list;
        }
        return v;
    }

    private static Path dataFile(Path dir, Path mlmodel, String flavor, Map<String, Object> conf) {
        Object data = conf.get("data");
        if (data == null && flavor.equals("xgboost")) {
            data = "model." + conf.getOrDefault("model_format", "xgb");
        }
        if (data == null) {
            throw new InvalidInputException(mlmodel + ": flavour '" + flavor + "' has no 'data' key naming the model file");
        }
        String file = data.toString();
        String lower = file.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pkl") || lower.endsWith(".pickle") || lower.endsWith(".skops")) {
            throw new InvalidInputException(mlmodel + ": flavour '" + flavor + "' stores " + conf.getOrDefault("model_class", "the model")
                    + " as '" + file + "' (" + conf.getOrDefault("serialization_format", "pickle")
                    + "), which only Python can read; log the native booster instead (for LightGBM: model.booster_, saved as model.lgb)");
        }
        Path p = dir.resolve(file).normalize();
        if (!p.startsWith(dir)) {
            throw new InvalidInputException(mlmodel + ": data file '" + file + "' of flavour '" + flavor + "' lies outside the model directory");
        }
        if (!Files.isRegularFile(p)) {
            throw new NotFoundException(mlmodel + ": flavour '" + flavor + "' names the data file '" + file + "' but " + p + " does not exist");
        }
        return p;
    }

    private static Provenance provenance(Map<String, Object> doc, String flavor, Map<String, Object> conf) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mlflow.flavor", flavor);
        putIfPresent(params, "mlflow.version", doc.get("mlflow_version"));
        putIfPresent(params, "mlflow.utc_time_created", doc.get("utc_time_created"));
        putIfPresent(params, "mlflow.model_uuid", doc.get("model_uuid"));
        putIfPresent(params, "mlflow.artifact_path", doc.get("artifact_path"));
        for (String key : List.of("model_class", "model_format", "xgb_version", "lgb_version", "onnx_version")) {
            putIfPresent(params, "mlflow." + flavor + "." + key, conf.get(key));
        }
        Object runId = doc.get("run_id");
        return new Provenance(null, List.of(), params, null, Map.of(), CodeVersion.UNKNOWN, runId == null ? null : runId.toString());
    }

    private static void putIfPresent(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            if (!(doc instanceof Map<?, ?> m)) {
                throw new InvalidInputException(file + " must be a YAML mapping but is " + (doc == null ? "empty" : doc.getClass().getSimpleName()));
            }
            return (Map<String, Object>) m;
        } catch (YAMLException e) {
            throw new InvalidInputException(file + " is not valid YAML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Field-legal form of an MLflow column name: {@code "sepal length (cm)"} becomes {@code sepal_length_cm}. */
    static String fieldName(String column, int position) {
        String s = column == null ? "" : column.replaceAll("[^A-Za-z0-9_.:\\-]+", "_").replaceAll("_+", "_");
        s = s.replaceAll("^_+|_+$", "");
        if (s.isEmpty()) {
            return "f" + position;
        }
        return Character.isDigit(s.charAt(0)) || s.charAt(0) == '.' || s.charAt(0) == '-' || s.charAt(0) == ':' ? "_" + s : s;
    }

    static Field field(String name, dev.ferry.types.FeatureType type, boolean required) {
        return new Field(name, type, !required);
    }
}
