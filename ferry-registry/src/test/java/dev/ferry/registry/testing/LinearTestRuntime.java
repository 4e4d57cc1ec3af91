package dev.ferry.registry.testing;

import dev.ferry.InvalidInputException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.LoadInfo;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntime;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A test-only runtime for a tiny linear model in a text format, registered for the LightGBM
 * format (whose artifacts are text too) so the registry's gate loads, checks and runs real
 * models without the native runtimes. It really computes {@code score = bias + sum(w_i * x_i)}.
 *
 * <pre>
 * ferry-linear 1
 * features age income
 * weights 0.5 -0.25
 * bias 1.0
 * </pre>
 */
public final class LinearTestRuntime implements ModelRuntime {

    public static final String VERSION = "linear-test-1";

    @Override
    public ModelFormat format() {
        return ModelFormat.LIGHTGBM;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Model load(ModelLoadRequest request) {
        Path file = request.artifact();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            return delegate(request);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).equals("ferry-linear 1")) {
            return delegate(request);
        }
        if (lines.size() < 4) {
            throw new InvalidInputException(file + " is not a ferry-linear model: expected 4 lines but found " + lines.size());
        }
        String[] names = values(lines.get(1), "features", file);
        String[] w = values(lines.get(2), "weights", file);
        String[] b = values(lines.get(3), "bias", file);
        if (names.length != w.length || b.length != 1) {
            throw new InvalidInputException(file + " has " + names.length + " features but " + w.length + " weights and "
                    + b.length + " bias values");
        }
        double[] weights = new double[w.length];
        try {
            for (int i = 0; i < w.length; i++) {
                weights[i] = Double.parseDouble(w[i]);
            }
            return new LinearModel(signature(names, request, file), weights, Double.parseDouble(b[0]), Files.size(file));
        } catch (NumberFormatException | IOException e) {
            throw new InvalidInputException(file + " is not a valid ferry-linear model: " + e.getMessage(), e);
        }
    }

    /**
     * Hands a file that is not a ferry-linear model to the real LightGBM runtime when one is on
     * the classpath too (this test-jar may share a classpath with ferry-lightgbm), so real
     * LightGBM models still load whichever provider {@code ModelRuntimes} picked.
     */
    private static Model delegate(ModelLoadRequest request) {
        for (ModelRuntime r : ServiceLoader.load(ModelRuntime.class, LinearTestRuntime.class.getClassLoader())) {
            if (r.format() == ModelFormat.LIGHTGBM && !(r instanceof LinearTestRuntime)) {
                return r.load(request);
            }
        }
        throw new InvalidInputException(request.artifact() + " is not a ferry-linear model: expected the first line 'ferry-linear 1'");
    }

    private static ModelSignature signature(String[] names, ModelLoadRequest request, Path file) {
        List<Field> features = new ArrayList<>();
        for (String n : names) {
            features.add(Field.of(n, FeatureType.FLOAT64));
        }
        if (request.signature().isPresent()) {
            List<Field> claimed = request.signature().get().features();
            if (claimed.size() != names.length) {
                throw new ValidationFailedException(file + " has " + names.length + " features but the claimed signature has "
                        + claimed.size() + " " + request.signature().get().featureNames());
            }
            features = claimed;
        }
        return new ModelSignature(features, InputLayout.PACKED,
                List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, names.length)),
                List.of(TensorSpec.of("score", ScalarType.FLOAT64, -1)), Map.of());
    }

    private static String[] values(String line, String key, Path file) {
        String[] parts = line.trim().split("\\s+");
        if (!parts[0].equals(key)) {
            throw new InvalidInputException(file + ": expected a line starting with '" + key + "' but found '" + line + "'");
        }
        return java.util.Arrays.copyOfRange(parts, 1, parts.length);
    }

    private static final class LinearModel implements Model {

        private final ModelSignature signature;
        private final double[] weights;
        private final double bias;
        private final long bytes;
        private volatile boolean closed;

        LinearModel(ModelSignature signature, double[] weights, double bias, long bytes) {
            this.signature = signature;
            this.weights = weights;
            this.bias = bias;
            this.bytes = bytes;
        }

        @Override
        public ModelSignature signature() {
            return signature;
        }

        @Override
        public ModelFormat format() {
            return ModelFormat.LIGHTGBM;
        }

        @Override
        public String runtimeVersion() {
            return VERSION;
        }

        @Override
        public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
            if (closed) {
                throw new IllegalStateException("model is closed");
            }
            TensorSpec spec = signature.inputs().get(0);
            Tensor in = inputs.get(spec.name());
            if (in == null) {
                throw new InvalidInputException("input '" + spec.name() + "' is missing");
            }
            spec.check(in);
            double[] x = in.toDoubles().doubles();
            int n = (int) in.dim(0);
            double[] out = new double[n];
            for (int r = 0; r < n; r++) {
                double s = bias;
                for (int j = 0; j < weights.length; j++) {
                    s += weights[j] * x[r * weights.length + j];
                }
                out[r] = s;
            }
            return Map.of("score", Tensor.ofDoubles("score", new long[] {n}, out));
        }

        @Override
        public LoadInfo loadInfo() {
            return new LoadInfo(Duration.ZERO, bytes, bytes);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
