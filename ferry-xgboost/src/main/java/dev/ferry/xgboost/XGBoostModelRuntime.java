package dev.ferry.xgboost;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.model.LoadInfo;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntime;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.Booster.PredictionType;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The XGBoost runtime: loads models saved by XGBoost 1.x to 3.x as JSON ({@code .json}) or
 * UBJSON ({@code .ubj}) with XGBoost4J and serves them as {@link Model}s with one packed float32
 * input. Found by {@link dev.ferry.model.ModelRuntimes} through the service loader; call it
 * directly only in code that is tied to XGBoost anyway. Options: {@code output_margin}
 * (true/false) and {@code threads} (XGBoost's nthread for the model).
 */
public final class XGBoostModelRuntime implements ModelRuntime {

    private static final String VERSION = readVersion();

    /** For the service loader. */
    public XGBoostModelRuntime() {
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.XGBOOST;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Model load(ModelLoadRequest request) {
        LoadOptions options = LoadOptions.parse(request.options());
        long started = System.nanoTime();
        Path path = request.artifact();
        String source = path.toString();
        byte[] bytes = readArtifact(path);
        Booster booster = loadBooster(bytes, source);
        try {
            byte[] json = isJson(bytes) ? bytes : booster.toByteArray("json");
            ModelDescription d = ModelJsonReader.read(json, source);
            if (d.numFeature() < 1 || booster.getNumFeature() != d.numFeature()) {
                throw new InvalidInputException("model file '" + source + "' declares " + d.numFeature()
                        + " features but XGBoost reports " + booster.getNumFeature() + "; expected at least one, the same in both");
            }
            if (options.threads().isPresent()) {
                booster.setParam("nthread", options.threads().getAsInt());
            }
            boolean inplace = !d.booster().equals("gblinear");
            Outputs outputs = warmUp(booster, inplace, d, options);
            List<TensorSpec> specs = outputs.specs();
            ModelSignature signature = request.signature()
                    .map(claimed -> Signatures.fromClaim(claimed, d, specs, source))
                    .orElseGet(() -> Signatures.fromModel(d, specs, source));
            // XGBoost does not report the booster's memory; the artifact size is the documented lower bound
            LoadInfo info = new LoadInfo(Duration.ofNanos(System.nanoTime() - started), bytes.length, bytes.length);
            return new XGBoostModel(booster, inplace, signature, outputs, "XGBoost " + VERSION, info, source);
        } catch (XGBoostError e) {
            booster.dispose();
            throw new InvalidInputException("model file '" + source + "' could not be read by XGBoost: "
                    + XGBoostModel.firstLine(e), e);
        } catch (RuntimeException e) {
            booster.dispose();
            throw e;
        }
    }

    /**
     * Predicts one all-missing row both ways: it measures the width of XGBoost's output rows, and
     * it makes XGBoost finish configuring the booster now, single-threaded, rather than inside the
     * first concurrent predictions.
     */
    private static Outputs warmUp(Booster booster, boolean inplace, ModelDescription d, LoadOptions options)
            throws XGBoostError {
        float[] row = new float[d.numFeature()];
        Arrays.fill(row, Float.NaN);
        int valueWidth = XGBoostModel.predict(booster, inplace, row, 1, row.length, PredictionType.kValue)[0].length;
        int marginWidth = XGBoostModel.predict(booster, inplace, row, 1, row.length, PredictionType.kMargin)[0].length;
        return Outputs.choose(d, options.outputMargin(), valueWidth, marginWidth);
    }

    private static byte[] readArtifact(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("model file '" + path + "' does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("model file '" + path + "' could not be read: " + e.getMessage(), e);
        }
    }

    private static Booster loadBooster(byte[] bytes, String source) {
        try {
            return XGBoost.loadModel(bytes);
        } catch (XGBoostError e) {
            String hint = firstByte(bytes) == '{' ? ""
                    : "; it is neither XGBoost JSON nor UBJSON (XGBoost " + VERSION
                    + " no longer reads the legacy binary format: load it with XGBoost 3.0 or earlier and save it as .json or .ubj)";
            throw new InvalidInputException("model file '" + source + "' is not an XGBoost model: "
                    + XGBoostModel.firstLine(e) + hint, e);
        } catch (IOException e) {
            throw new InvalidInputException("model file '" + source + "' could not be read: " + e.getMessage(), e);
        }
    }

    /** JSON and UBJSON both open with '{'; in JSON the next token is a quoted key, in UBJSON a length marker. */
    static boolean isJson(byte[] bytes) {
        int i = skipSpace(bytes, 0);
        if (i >= bytes.length || bytes[i] != '{') {
            return false;
        }
        int j = skipSpace(bytes, i + 1);
        return j < bytes.length && (bytes[j] == '"' || bytes[j] == '}');
    }

    private static int firstByte(byte[] bytes) {
        int i = skipSpace(bytes, 0);
        return i < bytes.length ? bytes[i] : -1;
    }

    private static int skipSpace(byte[] bytes, int from) {
        int i = from;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static String readVersion() {
        try (InputStream in = Booster.class.getResourceAsStream("/xgboost4j-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = Booster.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
