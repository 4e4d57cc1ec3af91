package dev.ferry.xgboost;

import dev.ferry.InvalidInputException;
import dev.ferry.NotReadyException;
import dev.ferry.UnavailableException;
import dev.ferry.model.LoadInfo;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.Booster.PredictionType;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A loaded XGBoost booster behind Ferry's {@link Model}. Prediction runs XGBoost's in-place
 * prediction on the packed float32 input with NaN as the missing value (a linear booster, which
 * has no in-place prediction, goes through a DMatrix).
 *
 * <p>Thread safety: XGBoost's C++ prediction is thread-safe since 1.4 (per-thread prediction
 * buffers and caches), and XGBoost4J's predict methods keep no Java state, so predictions run
 * concurrently under a shared read lock. The only unsafe moment is {@link #close}, which frees
 * the native booster: it takes the write lock, so it waits for running predictions and later
 * calls fail cleanly instead of touching freed memory.
 */
final class XGBoostModel implements Model {

    private static final int[] ALL_TREES = {0, 0};

    private final Booster booster;
    private final boolean inplace;
    private final ModelSignature signature;
    private final Outputs outputs;
    private final TensorSpec inputSpec;
    private final int features;
    private final String runtimeVersion;
    private final LoadInfo loadInfo;
    private final String source;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lock

    XGBoostModel(Booster booster, boolean inplace, ModelSignature signature, Outputs outputs, String runtimeVersion,
                 LoadInfo loadInfo, String source) {
        this.booster = booster;
        this.inplace = inplace;
        this.signature = signature;
        this.outputs = outputs;
        this.inputSpec = signature.inputs().get(0);
        this.features = signature.features().size();
        this.runtimeVersion = runtimeVersion;
        this.loadInfo = loadInfo;
        this.source = source;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.XGBOOST;
    }

    @Override
    public String runtimeVersion() {
        return runtimeVersion;
    }

    @Override
    public LoadInfo loadInfo() {
        return loadInfo;
    }

    @Override
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        Tensor x = checkedInput(inputs);
        int rows = Math.toIntExact(x.dim(0));
        float[][] raw = rows == 0 ? new float[0][] : predictRaw(x.floats(), rows);
        return outputs.toTensors(raw, rows);
    }

    /**
     * XGBoost's own prediction rows for a packed [rows, features] float32 array, transformed or
     * not as the model's output rule needs: the call Ferry makes into XGBoost4J, without the
     * tensor checks and output conversion around it.
     */
    float[][] predictRaw(float[] data, int rows) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return predict(booster, inplace, data, rows, features, outputs.predictionType());
        } catch (XGBoostError e) {
            throw new UnavailableException("XGBoost failed to predict with the model '" + source + "': " + firstLine(e), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * SHAP values from XGBoost's {@code predictContrib}: [batch, features + 1] with the bias last,
     * or [batch, classes, features + 1] for multi-class models. They sum to the margin.
     */
    @Override
    public Optional<Tensor> contributions(Map<String, Tensor> inputs) {
        Tensor x = checkedInput(inputs);
        int rows = Math.toIntExact(x.dim(0));
        int width = features + 1;
        if (rows == 0) {
            return Optional.of(Tensor.ofFloats("contributions", new long[] {0, width}, new float[0]));
        }
        float[][] raw;
        lock.readLock().lock();
        try {
            ensureOpen();
            DMatrix matrix = new DMatrix(x.floats(), rows, features, Float.NaN);
            try {
                raw = booster.predictContrib(matrix, 0);
            } finally {
                matrix.dispose();
            }
        } catch (XGBoostError e) {
            throw new UnavailableException("XGBoost failed to compute contributions with the model '" + source + "': "
                    + firstLine(e), e);
        } finally {
            lock.readLock().unlock();
        }
        int groups = raw[0].length / width;
        float[] flat = new float[rows * groups * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(raw[r], 0, flat, r * groups * width, groups * width);
        }
        long[] shape = groups == 1 ? new long[] {rows, width} : new long[] {rows, groups, width};
        return Optional.of(Tensor.ofFloats("contributions", shape, flat));
    }

    /**
     * One XGBoost prediction. In-place prediction skips building a DMatrix and is what tree
     * boosters use; {@code inplace = false} is for gblinear, which XGBoost cannot predict in place.
     */
    static float[][] predict(Booster booster, boolean inplace, float[] data, int rows, int features, PredictionType type)
            throws XGBoostError {
        if (inplace) {
            return booster.inplace_predict(data, rows, features, Float.NaN, ALL_TREES, type, null);
        }
        DMatrix matrix = new DMatrix(data, rows, features, Float.NaN);
        try {
            return booster.predict(matrix, type == PredictionType.kMargin, 0);
        } finally {
            matrix.dispose();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                booster.dispose();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Tensor checkedInput(Map<String, Tensor> inputs) {
        Tensor x = inputs.get(inputSpec.name());
        if (x == null || inputs.size() != 1) {
            throw new InvalidInputException("inputs were " + new TreeSet<>(inputs.keySet()) + " but the model '" + source
                    + "' takes exactly one input, " + inputSpec);
        }
        inputSpec.check(x);
        return x;
    }

    private void ensureOpen() {
        if (closed) {
            throw new NotReadyException("the model '" + source + "' is closed");
        }
    }

    static String firstLine(XGBoostError e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String toString() {
        return "XGBoostModel[" + source + ", " + outputs.kind() + "]";
    }
}
