package dev.ferry.lightgbm;

import dev.ferry.InvalidInputException;
import dev.ferry.NotReadyException;
import dev.ferry.model.LoadInfo;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded LightGBM model. Predictions share one native booster: LightGBM's
 * {@code LGBM_BoosterPredictForMat} takes a shared lock on the booster and builds a fresh
 * predictor per call, so normal and raw-score predictions run concurrently (Ferry's read lock).
 * SHAP contributions take Ferry's write lock, because preparing a contribution predictor
 * recomputes every tree's depth in place, which a concurrent SHAP call would read half-written;
 * {@link #close} takes it too, so the booster is never freed under a running prediction.
 */
final class LightGbmModel implements Model {

    private final String artifact;
    private final NativeBooster booster;
    private final ModelSignature signature;
    private final OutputPlan plan;
    private final int classes;
    private final int features;
    private final String parameters;
    private final String runtimeVersion;
    private final LoadInfo loadInfo;
    private final Lock shared;
    private final Lock exclusive;
    private boolean closed;

    LightGbmModel(String artifact, NativeBooster booster, ModelSignature signature, OutputPlan plan, int classes,
                  String parameters, String runtimeVersion, LoadInfo loadInfo) {
        this.artifact = artifact;
        this.booster = booster;
        this.signature = signature;
        this.plan = plan;
        this.classes = classes;
        this.features = signature.features().size();
        this.parameters = parameters;
        this.runtimeVersion = runtimeVersion;
        this.loadInfo = loadInfo;
        ReadWriteLock lock = new ReentrantReadWriteLock();
        this.shared = lock.readLock();
        this.exclusive = lock.writeLock();
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
        return runtimeVersion;
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        Tensor input = packedInput(inputs);
        int rows = (int) input.dim(0);
        double[] out;
        shared.lock();
        try {
            ensureOpen();
            out = booster.predict(input.doubles(), rows, features, plan.predictType(), parameters);
        } finally {
            shared.unlock();
        }
        checkLength(out, (long) rows * classes, "prediction");
        return plan.tensors(out, rows, classes);
    }

    /**
     * SHAP values from LightGBM's {@code C_API_PREDICT_CONTRIB}: [batch, features + 1] (last
     * column the expected value), or [batch, classes, features + 1] for multi-class models. Each
     * row's values add up to the raw score.
     */
    @Override
    public Optional<Tensor> contributions(Map<String, Tensor> inputs) {
        Tensor input = packedInput(inputs);
        int rows = (int) input.dim(0);
        double[] out;
        exclusive.lock();
        try {
            ensureOpen();
            out = booster.predict(input.doubles(), rows, features, NativeBooster.PREDICT_CONTRIB, parameters);
        } finally {
            exclusive.unlock();
        }
        checkLength(out, (long) rows * classes * (features + 1), "contribution");
        long[] shape = classes == 1 ? new long[] {rows, features + 1} : new long[] {rows, classes, features + 1};
        return Optional.of(Tensor.ofDoubles("contributions", shape, out));
    }

    private Tensor packedInput(Map<String, Tensor> inputs) {
        TensorSpec spec = signature.inputs().get(0);
        for (String name : inputs.keySet()) {
            if (!name.equals(spec.name())) {
                throw new InvalidInputException("input '" + name + "' is not an input of model " + artifact
                        + "; it takes one input '" + spec.name() + "' of shape [-1, " + features + "]");
            }
        }
        Tensor input = inputs.get(spec.name());
        if (input == null) {
            throw new InvalidInputException("input '" + spec.name() + "' is missing; model " + artifact
                    + " takes one float64 input of shape [-1, " + features + "]");
        }
        spec.check(input);
        return input;
    }

    private void ensureOpen() {
        if (closed) {
            throw new NotReadyException("model " + artifact + " is closed; load it again to predict");
        }
    }

    private void checkLength(double[] out, long expected, String what) {
        if (out.length != expected) {
            throw new IllegalStateException("LightGBM returned " + out.length + " " + what + " values for model " + artifact
                    + " but " + expected + " were expected");
        }
    }

    @Override
    public LoadInfo loadInfo() {
        return loadInfo;
    }

    /** Frees the native booster once no prediction runs; later calls are refused. Idempotent. */
    @Override
    public void close() {
        exclusive.lock();
        try {
            if (!closed) {
                closed = true;
                booster.free();
            }
        } finally {
            exclusive.unlock();
        }
    }

    @Override
    public String toString() {
        return "LightGbmModel[" + artifact + ", " + plan + ", " + features + " features]";
    }
}
