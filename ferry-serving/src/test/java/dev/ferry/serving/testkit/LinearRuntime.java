package dev.ferry.serving.testkit;

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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real, tiny model runtime for tests: a linear model {@code score = bias + sum(w_i * x_i)}
 * read from a text file. It claims the ONNX format slot because the format enum is closed;
 * no ONNX runtime is on these test classpaths. Text format:
 *
 * <pre>
 * ferry-linear 1
 * layout packed            (or per_feature)
 * features x1:float64 x2:float64
 * weights 0.5 -1.0
 * bias 2.0
 * behavior normal          (or throw, hang, fail_above)
 * fail_above 0.9           (with fail_above: a call fails when a row's first feature exceeds this)
 * </pre>
 *
 * Strings contribute their length, booleans 1/0, vectors the sum of their elements. A model
 * with behavior {@code hang} blocks on {@link #HANG} while {@link #HANG_ARMED}, until a test releases it.
 */
public final class LinearRuntime implements ModelRuntime {

    /** Models currently open (loaded and not closed). */
    public static final AtomicInteger OPEN = new AtomicInteger();
    /** Calls made to a closed model: must stay zero. */
    public static final AtomicInteger CALLS_AFTER_CLOSE = new AtomicInteger();
    /** What {@code hang} models wait on. */
    public static volatile CountDownLatch HANG = new CountDownLatch(1);
    /** {@code hang} models hang only while this is set, so they can load and warm up first. */
    public static volatile boolean HANG_ARMED = false;

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    public String version() {
        return "linear-1";
    }

    @Override
    public Model load(ModelLoadRequest request) {
        List<String> lines;
        try {
            lines = Files.readAllLines(request.artifact());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals("ferry-linear 1")) {
            throw new InvalidInputException("file " + request.artifact() + " is not a ferry-linear 1 model");
        }
        Map<String, String> kv = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String t = l.trim();
            if (!t.isEmpty()) {
                int sp = t.indexOf(' ');
                kv.put(t.substring(0, sp), t.substring(sp + 1).trim());
            }
        }
        List<Field> features = new ArrayList<>();
        for (String f : kv.get("features").split("\\s+")) {
            int c = f.indexOf(':');
            features.add(Field.of(f.substring(0, c), FeatureType.parse(f.substring(c + 1))));
        }
        String[] w = kv.get("weights").split("\\s+");
        double[] weights = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            weights[i] = Double.parseDouble(w[i]);
        }
        InputLayout layout = kv.getOrDefault("layout", "packed").equals("per_feature") ? InputLayout.PER_FEATURE : InputLayout.PACKED;
        List<TensorSpec> inputs = new ArrayList<>();
        if (layout == InputLayout.PACKED) {
            inputs.add(TensorSpec.of("input", ScalarType.FLOAT64, -1, features.size()));
        } else {
            for (Field f : features) {
                inputs.add(f.type().isVector() ? TensorSpec.of(f.name(), f.type().scalar(), -1, f.type().length())
                        : TensorSpec.of(f.name(), f.type().scalar(), -1));
            }
        }
        ModelSignature sig = new ModelSignature(features, layout, inputs,
                List.of(TensorSpec.of("score", ScalarType.FLOAT64, -1, 1)), Map.of());
        request.signature().flatMap(claimed -> claimed.mismatch(sig)).ifPresent(m -> {
            throw new ValidationFailedException("artifact " + request.artifact() + " contradicts the claimed signature: " + m);
        });
        long size;
        try {
            size = Files.size(request.artifact());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OPEN.incrementAndGet();
        return new LinearModel(sig, weights, Double.parseDouble(kv.getOrDefault("bias", "0")),
                kv.getOrDefault("behavior", "normal"), Double.parseDouble(kv.getOrDefault("fail_above", "Infinity")),
                new LoadInfo(Duration.ZERO, size, size));
    }

    private static final class LinearModel implements Model {
        private final ModelSignature sig;
        private final double[] weights;
        private final double bias;
        private final String behavior;
        private final double failAbove;
        private final LoadInfo info;
        private volatile boolean closed;

        LinearModel(ModelSignature sig, double[] weights, double bias, String behavior, double failAbove, LoadInfo info) {
            this.sig = sig;
            this.weights = weights;
            this.bias = bias;
            this.behavior = behavior;
            this.failAbove = failAbove;
            this.info = info;
        }

        @Override
        public ModelSignature signature() {
            return sig;
        }

        @Override
        public ModelFormat format() {
            return ModelFormat.ONNX;
        }

        @Override
        public String runtimeVersion() {
            return "linear-1";
        }

        @Override
        public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
            if (closed) {
                CALLS_AFTER_CLOSE.incrementAndGet();
                throw new IllegalStateException("model is closed");
            }
            if (behavior.equals("throw")) {
                throw new IllegalStateException("this model is configured to fail");
            }
            if (behavior.equals("hang") && HANG_ARMED) {
                try {
                    HANG.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while hanging");
                }
            }
            int n;
            double[] out;
            if (sig.layout() == InputLayout.PACKED) {
                Tensor t = inputs.get("input");
                n = (int) t.dim(0);
                int f = weights.length;
                out = new double[n];
                for (int r = 0; r < n; r++) {
                    if (behavior.equals("fail_above") && t.getDouble(r * f) > failAbove) {
                        throw new IllegalStateException("this model fails when x1 exceeds " + failAbove);
                    }
                    double s = bias;
                    for (int j = 0; j < f; j++) {
                        s += weights[j] * t.getDouble(r * f + j);
                    }
                    out[r] = s;
                }
            } else {
                n = (int) inputs.get(sig.features().get(0).name()).dim(0);
                out = new double[n];
                java.util.Arrays.fill(out, bias);
                for (int j = 0; j < sig.features().size(); j++) {
                    Tensor t = inputs.get(sig.features().get(j).name());
                    int width = t.size() / Math.max(1, n);
                    for (int r = 0; r < n; r++) {
                        for (int k = 0; k < width; k++) {
                            int i = r * width + k;
                            double x = t.type() == ScalarType.STRING ? t.strings()[i].length() : t.getDouble(i);
                            out[r] += weights[j] * x;
                        }
                    }
                }
            }
            return Map.of("score", Tensor.ofDoubles("score", new long[] {n, 1}, out));
        }

        @Override
        public LoadInfo loadInfo() {
            return info;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                OPEN.decrementAndGet();
            }
        }
    }
}
