package dev.ferry.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.model.LoadInfo;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntime;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The ONNX {@link ModelRuntime}: loads {@code .onnx} files (standard operators and the
 * {@code ai.onnx.ml} domain: tree ensembles, linear models, ZipMap) into ONNX Runtime sessions
 * that share one process-wide {@link OrtEnvironment}. Options: {@code threads} (intra-op
 * threads, 0 = one per core) and {@code optimization} (none, basic, extended, all). Found by
 * {@link dev.ferry.model.ModelRuntimes}; use this class directly only to build a plain
 * ONNX Runtime session configured the same way (benchmarks).
 */
public final class OnnxModelRuntime implements ModelRuntime {

    private final LongSupplier nanoTime;

    /** The ServiceLoader constructor. */
    public OnnxModelRuntime() {
        this(System::nanoTime);
    }

    OnnxModelRuntime(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The one ONNX Runtime environment of the process (thread pools, logging); only errors are logged. */
    public static OrtEnvironment environment() {
        return Environment.ENV;
    }

    /**
     * Session options exactly as Ferry builds them for {@code options} (same keys as
     * {@link ModelLoadRequest#options}); the caller closes them. Lets a benchmark open a bare
     * {@link OrtSession} that differs from Ferry's only in Ferry's own work.
     */
    public static OrtSession.SessionOptions sessionOptions(Map<String, String> options) {
        try {
            return OnnxOptions.parse(options).toSessionOptions();
        } catch (OrtException e) {
            throw new InvalidInputException("ONNX Runtime refused the session options " + options + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    public String version() {
        return environment().getVersion();
    }

    @Override
    public Model load(ModelLoadRequest request) {
        Path path = request.artifact();
        String artifact = path.toString();
        OnnxOptions options = OnnxOptions.parse(request.options());
        long bytes = size(path);
        long start = nanoTime.getAsLong();
        OrtEnvironment env = environment();
        OrtSession.SessionOptions so;
        OrtSession session;
        try {
            so = options.toSessionOptions();
        } catch (OrtException e) {
            throw new InvalidInputException("ONNX Runtime refused the options " + request.options() + ": " + e.getMessage(), e);
        }
        try {
            session = env.createSession(artifact, so);
        } catch (OrtException e) {
            so.close();
            throw loadFailure(artifact, e);
        }
        try {
            ArtifactSignature actual = ArtifactSignature.read(artifact, session);
            List<OutputPlan> plans = probeZipMaps(env, session, actual);
            ArtifactSignature probed = new ArtifactSignature(actual.inputs(), plans, actual.skipped());
            ModelSignature signature = request.signature()
                    .map(claimed -> ClaimedSignature.reconcile(artifact, claimed, probed))
                    .orElseGet(probed::defaultSignature);
            // ONNX Runtime does not report a session's native footprint; the initializers it
            // holds are most of it, and they are the bulk of the file: the size is the lower bound.
            LoadInfo info = new LoadInfo(Duration.ofNanos(nanoTime.getAsLong() - start), bytes, bytes);
            return new OnnxModel(artifact, env, session, so, signature, plans, info, env.getVersion());
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session, so, e);
            if (e instanceof OrtException oe) {
                throw loadFailure(artifact, oe);
            }
            throw (RuntimeException) e;
        }
    }

    private static long size(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new NotFoundException("model file '" + path + "' does not exist or is not a regular file");
        }
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new NotFoundException("model file '" + path + "' cannot be read: " + e.getMessage());
        }
    }

    private static InvalidInputException loadFailure(String artifact, OrtException e) {
        String why = switch (e.getCode()) {
            case ORT_INVALID_PROTOBUF, ORT_NO_MODEL -> "is not an ONNX model (ONNX Runtime could not parse it)";
            case ORT_INVALID_GRAPH -> "is not a valid ONNX graph";
            case ORT_NOT_IMPLEMENTED -> "uses an operator or opset that ONNX Runtime " + environment().getVersion() + " does not implement";
            default -> "could not be loaded by ONNX Runtime " + environment().getVersion();
        };
        return new InvalidInputException("model file '" + artifact + "' " + why + ": " + e.getMessage(), e);
    }

    /**
     * A ZipMap's class count and labels are not in the session metadata, so each ZipMap output
     * is run once on a single all-zero row to learn them. If that run fails (an input a zero
     * cannot stand in for), the output keeps K = -1 and its labels come from each batch.
     */
    private static List<OutputPlan> probeZipMaps(OrtEnvironment env, OrtSession session, ArtifactSignature actual) {
        List<OutputPlan> plans = actual.outputs();
        if (plans.stream().noneMatch(OutputPlan::zipMap)) {
            return plans;
        }
        Map<String, ai.onnxruntime.OnnxTensor> inputs = new LinkedHashMap<>();
        List<OutputPlan> out = new ArrayList<>(plans.size());
        try {
            for (TensorSpec in : actual.inputs()) {
                long[] shape = in.shape();
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shape[i] < 0 ? 1 : shape[i];
                }
                inputs.put(in.name(), OrtTensors.toOrt(env, Tensor.zeros(in.name(), in.type(), shape)));
            }
            java.util.Set<String> zipMaps = new java.util.HashSet<>();
            plans.stream().filter(OutputPlan::zipMap).forEach(p -> zipMaps.add(p.name()));
            try (OrtSession.Result r = session.run(inputs, zipMaps)) {
                for (OutputPlan p : plans) {
                    if (!p.zipMap()) {
                        out.add(p);
                        continue;
                    }
                    var rows = ZipMaps.rows((ai.onnxruntime.OnnxSequence) r.get(p.name()).orElseThrow());
                    List<String> labels = rows.isEmpty() ? List.of() : ZipMaps.labels(rows.get(0));
                    out.add(new OutputPlan(TensorSpec.of(p.name(), p.spec().type(), -1, labels.isEmpty() ? -1 : labels.size()),
                            true, labels));
                }
            }
            return out;
        } catch (OrtException | RuntimeException e) {
            return plans;
        } finally {
            inputs.values().forEach(ai.onnxruntime.OnnxTensor::close);
        }
    }

    private static void closeQuietly(OrtSession session, OrtSession.SessionOptions so, Exception primary) {
        try {
            session.close();
        } catch (OrtException e) {
            primary.addSuppressed(e);
        } finally {
            so.close();
        }
    }

    /** Holder: the environment is created on first use, not when the ServiceLoader instantiates the runtime. */
    private static final class Environment {
        static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "ferry");
    }
}
