package dev.ferry.lightgbm;

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
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Loads LightGBM models saved in LightGBM's text format ({@code booster.save_model("m.txt")})
 * and serves them through the LightGBM C library that lightgbm4j ships. Registered as the
 * {@link ModelFormat#LIGHTGBM} runtime; callers reach it through {@code ModelRuntimes}.
 * Options: {@code raw_score} ({@code true} for untransformed scores) and {@code threads}
 * (LightGBM's {@code num_threads} inside one prediction call; default 1, 0 lets OpenMP choose).
 */
public final class LightGbmModelRuntime implements ModelRuntime {

    /** The name of the one packed input tensor every LightGBM model takes. */
    public static final String INPUT = SignatureReader.INPUT;

    private static final Set<String> OPTIONS = Set.of("raw_score", "threads");
    private static final String LIGHTGBM4J_VERSION = lightgbm4jVersion();

    @Override
    public ModelFormat format() {
        return ModelFormat.LIGHTGBM;
    }

    /** The LightGBM version, e.g. {@code 4.3.0} (lightgbm4j's version without its packaging suffix). */
    @Override
    public String version() {
        int dash = LIGHTGBM4J_VERSION.indexOf('-');
        return dash < 0 ? LIGHTGBM4J_VERSION : LIGHTGBM4J_VERSION.substring(0, dash);
    }

    @Override
    public Model load(ModelLoadRequest request) {
        long start = System.nanoTime();
        Path path = request.artifact();
        String artifact = path.toString();
        checkKnown(request.options());
        boolean rawScore = booleanOption(request.options(), "raw_score");
        String parameters = threadsParameter(request.options());
        String text = read(path);
        if (!text.startsWith("tree")) {
            throw new InvalidInputException("file " + artifact + " is not a LightGBM text model: it should start with 'tree' (a model saved by save_model)");
        }
        NativeBooster booster;
        try {
            booster = NativeBooster.fromString(text);
        } catch (NativeBooster.LightGbmError e) {
            throw new InvalidInputException("file " + artifact + " is not a LightGBM model LightGBM can read: " + e.getMessage(), e);
        }
        try {
            ModelText parsed = ModelText.parse(text);
            int featureCount = booster.numFeatures();
            int classes = booster.numClasses();
            OutputPlan plan = OutputPlan.choose(parsed.objective(), rawScore);
            List<TensorSpec> outputs = plan.outputs(classes);
            ModelSignature signature = SignatureReader.read(artifact, parsed, booster.featureNames(), featureCount, outputs,
                    request.signature());
            long bytes = text.length();
            LoadInfo info = new LoadInfo(Duration.ofNanos(System.nanoTime() - start), size(path), bytes);
            return new LightGbmModel(artifact, booster, signature, plan, classes, parameters,
                    "LightGBM " + version() + " (lightgbm4j " + LIGHTGBM4J_VERSION + ")", info);
        } catch (RuntimeException e) {
            booster.free();
            throw e;
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("model file " + path + " does not exist");
        } catch (MalformedInputException e) {
            throw new InvalidInputException("file " + path + " is not a LightGBM text model: it is not UTF-8 text"
                    + " (LightGBM's binary formats are not supported; save the model with save_model to a .txt file)", e);
        } catch (IOException e) {
            throw new InvalidInputException("model file " + path + " could not be read: " + e.getMessage(), e);
        }
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void checkKnown(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new InvalidInputException("option '" + key + "' is not a LightGBM runtime option; known options are "
                        + OPTIONS.stream().sorted().toList());
            }
        }
    }

    private static boolean booleanOption(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null) {
            return false;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException("option '" + key + "' was '" + v + "' but it must be true or false");
        };
    }

    private static String threadsParameter(Map<String, String> options) {
        // One thread per call by default: a server runs many calls at once, and OpenMP teams
        // forked inside each of them only contend for the same cores (see docs/runtime-lightgbm.md).
        String v = options.get("threads");
        if (v == null) {
            return "num_threads=1";
        }
        int threads;
        try {
            threads = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            threads = -1;
        }
        if (threads < 0) {
            throw new InvalidInputException("option 'threads' was '" + v + "' but it must be a whole number, 0 or more");
        }
        return threads == 0 ? "" : "num_threads=" + threads;
    }

    private static String lightgbm4jVersion() {
        try (InputStream in = io.github.metarank.lightgbm4j.LGBMBooster.class
                .getResourceAsStream("/META-INF/maven/io.github.metarank/lightgbm4j/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
