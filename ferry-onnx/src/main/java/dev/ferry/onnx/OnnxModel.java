package dev.ferry.onnx;

import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ferry.InvalidInputException;
import dev.ferry.NotReadyException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.LoadInfo;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An ONNX model held by one ONNX Runtime session. Thread-safe: ONNX Runtime sessions run
 * concurrently, and a read-write lock only keeps {@link #close} from freeing the session under a
 * running prediction. After close, {@link #predict} throws {@link NotReadyException} (a serving
 * layer swapping versions retries it on the new one). Load it through
 * {@link dev.ferry.model.ModelRuntimes} rather than naming this class.
 */
public final class OnnxModel implements Model {

    private final String artifact;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.SessionOptions sessionOptions;
    private final ModelSignature signature;
    private final Map<String, OutputPlan> plans;
    private final Set<String> requested;
    private final Set<String> zipMapOutputs;
    private final Set<String> tensorOutputs;
    private final LoadInfo loadInfo;
    private final String runtimeVersion;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    OnnxModel(String artifact, OrtEnvironment env, OrtSession session, OrtSession.SessionOptions sessionOptions,
              ModelSignature signature, List<OutputPlan> plans, LoadInfo loadInfo, String runtimeVersion) {
        this.artifact = artifact;
        this.env = env;
        this.session = session;
        this.sessionOptions = sessionOptions;
        this.signature = signature;
        Map<String, OutputPlan> byName = new LinkedHashMap<>();
        for (OutputPlan p : plans) {
            byName.put(p.name(), p);
        }
        this.plans = byName;
        Set<String> names = new LinkedHashSet<>();
        for (TensorSpec o : signature.outputs()) {
            names.add(o.name());
        }
        this.requested = Set.copyOf(names);
        Set<String> zip = new LinkedHashSet<>();
        for (String n : names) {
            OutputPlan p = byName.get(n);
            if (p != null && p.zipMap()) {
                zip.add(n);
            }
        }
        this.zipMapOutputs = Set.copyOf(zip);
        names.removeAll(zip);
        this.tensorOutputs = Set.copyOf(names);
        this.loadInfo = loadInfo;
        this.runtimeVersion = runtimeVersion;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    public String runtimeVersion() {
        return "ONNX Runtime " + runtimeVersion;
    }

    @Override
    public LoadInfo loadInfo() {
        return loadInfo;
    }

    /**
     * For an output converted from an {@code ai.onnx.ml} ZipMap, its class labels in column
     * order (as text); empty for plain tensor outputs or if the labels could not be found at load.
     */
    public Optional<List<String>> classLabels(String output) {
        OutputPlan p = plans.get(output);
        return p == null || !p.zipMap() || p.labels().isEmpty() ? Optional.empty() : Optional.of(p.labels());
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        checkInputs(inputs);
        lock.readLock().lock();
        try {
            if (closed) {
                throw new NotReadyException("model '" + artifact + "' is closed; load it again to predict");
            }
            return run(inputs);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Row> predictRows(List<Row> rows) {
        if (signature.layout() == InputLayout.PACKED && signature.features().isEmpty()) {
            throw new InvalidInputException("model '" + artifact + "' has the packed input '" + signature.inputs().get(0).name()
                    + "' whose feature count the artifact leaves open, so its features have no names; load it with a signature"
                    + " that names them to predict rows, or call predict with tensors");
        }
        if (signature.layout() == InputLayout.PER_FEATURE) {
            for (TensorSpec in : signature.inputs()) {
                if (signature.features().stream().noneMatch(f -> f.name().equals(in.name()))) {
                    throw new InvalidInputException("model '" + artifact + "' has the input " + in
                            + " that no feature fills (rows cannot carry that shape, or the name is not a valid feature name);"
                            + " call predict with tensors, or load it with a signature whose features name every input");
                }
            }
        }
        return Model.super.predictRows(rows);
    }

    private void checkInputs(Map<String, Tensor> inputs) {
        for (String name : inputs.keySet()) {
            if (signature.input(name).isEmpty()) {
                throw new InvalidInputException("input '" + name + "' is not an input of model '" + artifact + "'; its inputs are "
                        + inputNames());
            }
        }
        for (TensorSpec spec : signature.inputs()) {
            Tensor t = inputs.get(spec.name());
            if (t == null) {
                throw new InvalidInputException("input '" + spec.name() + "' is missing; model '" + artifact + "' takes " + inputNames());
            }
            spec.check(t);
        }
    }

    private List<String> inputNames() {
        return signature.inputs().stream().map(TensorSpec::name).toList();
    }

    private Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (!zipMapOutputs.isEmpty() && tensorOutputs.isEmpty() && isEmptyBatch(inputs)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (TensorSpec spec : signature.outputs()) {
                out.put(spec.name(), ZipMaps.dense(spec.name(), List.of(), plans.get(spec.name()).labels()));
            }
            return out;
        }
        Map<String, OnnxTensor> native_ = new HashMap<>();
        try {
            for (TensorSpec spec : signature.inputs()) {
                native_.put(spec.name(), OrtTensors.toOrt(env, inputs.get(spec.name())));
            }
            // ONNX Runtime's Java binding cannot wrap an empty sequence, so for an empty batch the
            // ZipMap outputs are built here ([0, K]) and only the tensor outputs are run.
            boolean emptyBatch = !zipMapOutputs.isEmpty() && isEmptyBatch(inputs);
            Set<String> toRun = emptyBatch ? tensorOutputs : requested;
            try (OrtSession.Result result = session.run(native_, toRun)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (TensorSpec spec : signature.outputs()) {
                    if (!toRun.contains(spec.name())) {
                        out.put(spec.name(), ZipMaps.dense(spec.name(), List.of(), plans.get(spec.name()).labels()));
                        continue;
                    }
                    OnnxValue v = result.get(spec.name()).orElseThrow(() -> new OnnxRuntimeFailure(
                            "ONNX Runtime returned no output '" + spec.name() + "' for model '" + artifact + "'", null));
                    out.put(spec.name(), convert(spec.name(), v));
                }
                return out;
            }
        } catch (OrtException e) {
            if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
                throw new InvalidInputException("model '" + artifact + "' refused the inputs: " + e.getMessage(), e);
            }
            throw new OnnxRuntimeFailure("ONNX Runtime failed to run model '" + artifact + "': " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : native_.values()) {
                t.close();
            }
        }
    }

    private static boolean isEmptyBatch(Map<String, Tensor> inputs) {
        for (Tensor t : inputs.values()) {
            if (t.rank() == 0 || t.dim(0) != 0) {
                return false;
            }
        }
        return !inputs.isEmpty();
    }

    private Tensor convert(String name, OnnxValue v) throws OrtException {
        if (v instanceof OnnxTensor t) {
            return OrtTensors.fromOrt(name, t);
        }
        if (v instanceof OnnxSequence s) {
            return ZipMaps.dense(name, ZipMaps.rows(s), plans.get(name).labels());
        }
        throw new OnnxRuntimeFailure("output '" + name + "' of model '" + artifact + "' is a " + v.getType()
                + ", which Ferry cannot return", null);
    }

    /** Frees the native session; waits for running predictions to finish. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new OnnxRuntimeFailure("ONNX Runtime failed to close the session of model '" + artifact + "'", e);
            } finally {
                sessionOptions.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "OnnxModel[" + artifact + (closed ? ", closed" : "") + "]";
    }
}
