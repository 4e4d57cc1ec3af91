package dev.ferry.serving;

import dev.ferry.ValidationFailedException;
import dev.ferry.model.Model;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelValidator;
import dev.ferry.registry.ModelVersion;
import dev.ferry.types.Row;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models the engine has loaded, one per (name, version), shared by every deployment that
 * routes to them. Loading goes registry artifact, runtime, validation gate, warm-up; only then
 * does a model become visible, so no caller ever meets a cold model.
 */
final class ModelPool {

    private static final int WARM_UP_RUNS = 3;

    private final ModelRegistry registry;
    private final ServingMetrics metrics;
    private final Map<String, LoadedModel> live = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    // Loading, validation and warm-up run on platform threads of their own, never on the virtual
    // threads' carriers: a model load is CPU-bound native work that pins its carrier until it ends
    // (on 2 cores, one of the two), while on a thread of its own the OS time-slices it with the
    // request path of the versions still serving during a hot swap.
    private final java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors.newCachedThreadPool(
            Thread.ofPlatform().name("ferry-model-load-", 0).daemon(true).factory());
    private final java.time.Duration checkTimeout;

    ModelPool(ModelRegistry registry, ServingMetrics metrics, java.time.Duration checkTimeout) {
        this.registry = registry;
        this.metrics = metrics;
        this.checkTimeout = checkTimeout;
    }

    /** Stops the loader threads (a load still running is interrupted). */
    void close() {
        loader.shutdownNow();
    }

    private static String key(String name, int version) {
        return name + "@" + version;
    }

    /** A reference to the loaded version (the caller releases it), loading it first if needed. */
    LoadedModel obtain(ModelVersion v) {
        String key = key(v.name(), v.version());
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            LoadedModel m = live.get(key);
            if (m != null && m.tryAcquire()) {
                return m;
            }
            LoadedModel fresh = onLoader(v);
            live.put(key, fresh);
            return fresh;
        }
    }

    /** A reference to an already loaded version, if one is open. */
    Optional<LoadedModel> acquire(String name, int version) {
        LoadedModel m = live.get(key(name, version));
        return m != null && m.tryAcquire() ? Optional.of(m) : Optional.empty();
    }

    /** The loaded versions, sorted by name and version. */
    List<LoadedModel> loaded() {
        List<LoadedModel> out = new ArrayList<>();
        for (LoadedModel m : live.values()) {
            if (m.open()) {
                out.add(m);
            }
        }
        out.sort(java.util.Comparator.comparing(LoadedModel::name).thenComparingInt(LoadedModel::number));
        return out;
    }

    /** Runs {@link #load} on a loader thread; the caller waits (a virtual thread unmounts meanwhile). */
    private LoadedModel onLoader(ModelVersion v) {
        java.util.concurrent.Future<LoadedModel> f;
        try {
            f = loader.submit(() -> load(v));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new dev.ferry.UnavailableException("model " + v.ref() + " cannot be loaded: the engine is closing");
        }
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ValidationFailedException("model " + v.ref() + " failed to load: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new dev.ferry.UnavailableException("interrupted while loading model " + v.ref());
        }
    }

    private LoadedModel load(ModelVersion v) {
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            Path artifact = registry.artifact(v);
            Model model = ModelRuntimes.load(v.format(), ModelLoadRequest.of(artifact, v.signature()));
            checkAndWarm(v, model);
            outcome = "ok";
            return new LoadedModel(v, model, m -> live.remove(key(m.name(), m.number()), m));
        } finally {
            metrics.modelLoad(v.name(), v.version(), outcome, System.nanoTime() - start);
        }
    }

    /**
     * Runs the validation gate and the warm-up under a time limit: a model that hangs on them
     * fails its load instead of blocking the deployment change forever.
     */
    private void checkAndWarm(ModelVersion v, Model model) {
        java.util.concurrent.Future<?> f = loader.submit(() -> {
            ModelValidator.check(model, Optional.of(v.signature()), v.golden());
            warmUp(model, v.golden());
        });
        try {
            f.get(checkTimeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            // not closed: the hung call may still be inside the runtime, and freeing native
            // memory under it could crash the process; the model is leaked instead
            throw new ValidationFailedException("model " + v.ref() + " did not finish validation and warm-up within " + checkTimeout);
        } catch (java.util.concurrent.ExecutionException e) {
            model.close();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ValidationFailedException("model " + v.ref() + " failed validation: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            model.close();
            throw new dev.ferry.UnavailableException("interrupted while loading model " + v.ref());
        }
    }

    /**
     * Runs real-shaped requests before the model serves, so lazy initialisation in the runtime
     * (graph optimisation, allocators, JIT of the call path) happens here and not on a caller.
     */
    static void warmUp(Model model, List<GoldenExample> golden) {
        if (!golden.isEmpty()) {
            List<Row> rows = new ArrayList<>();
            for (GoldenExample g : golden) {
                rows.add(new Row(g.inputs()));
            }
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                model.predictRows(rows);
            }
            return;
        }
        Map<String, Tensor> zeros = new HashMap<>();
        for (TensorSpec spec : model.signature().inputs()) {
            long[] shape = spec.shape();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    shape[d] = 1;
                }
            }
            zeros.put(spec.name(), Tensor.zeros(spec.name(), spec.type(), shape));
        }
        try {
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                model.predict(zeros);
            }
        } catch (RuntimeException e) {
            // Zeros can lie outside what a model accepts (an empty category string, say); the
            // golden examples are the correctness gate, this run only warms the call path.
        }
    }
}
