package dev.ferry.serving;

import dev.ferry.CapacityException;
import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.NotReadyException;
import dev.ferry.model.ModelFormat;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The online serving engine: loads registry models (validated and warmed before they serve),
 * routes requests through deployments (single, A/B, canary, shadow), swaps versions without
 * failing a request, falls back when a model errs or runs out of time, logs every prediction
 * and records metrics. It speaks no HTTP; {@code dev.ferry.server.FerryServer} is the HTTP layer
 * over it, and a Java service can embed it directly.
 */
public final class ServingEngine implements AutoCloseable {

    private final ModelRegistry registry;
    private final ServingMetrics metrics;
    private final ModelPool pool;
    private final Deployments deployments;
    private final Predictor predictor;
    private final Ranker ranker;
    private final AsyncPredictionLog log;
    private final ExecutorService inference;
    private final ModelCalls calls;
    private final boolean ownsInference;
    private final int maxBatch;
    private final Duration inferBudget;

    private ServingEngine(Builder b) {
        this.registry = b.registry;
        this.metrics = new ServingMetrics(b.meters);
        this.ownsInference = b.inference == null;
        this.inference = ownsInference ? Executors.newVirtualThreadPerTaskExecutor() : b.inference;
        this.pool = new ModelPool(registry, metrics, b.loadTimeout);
        this.deployments = new Deployments(registry, pool);
        BoundedExecutor shadows = new BoundedExecutor(b.shadowExecutor == null ? inference : b.shadowExecutor,
                b.shadowConcurrency, metrics.shadowDropped());
        this.log = new AsyncPredictionLog(b.sink, b.logCapacity, b.logThreads, metrics.logDropped());
        this.calls = new ModelCalls(inference, b.isolation, b.isolationPeriod, metrics);
        this.predictor = new Predictor(deployments, b.fetcher, b.precomputed, calls, shadows, log, metrics, b.clock);
        this.ranker = new Ranker(deployments, predictor, metrics);
        this.maxBatch = b.maxBatch;
        this.inferBudget = b.inferBudget;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- deployments ----

    /**
     * Creates or changes a deployment. New model versions are loaded, validated and warmed
     * beside the old ones; the switch is atomic and the old versions close once their in-flight
     * requests finish. On failure nothing changes and the error says why.
     */
    public void deploy(DeploymentSpec spec) {
        deployments.deploy(spec);
    }

    public void undeploy(String name) {
        deployments.remove(name);
    }

    public Optional<DeploymentSpec> deployment(String name) {
        return deployments.current(name).map(d -> d.spec);
    }

    public List<DeploymentSpec> deployments() {
        List<DeploymentSpec> out = new ArrayList<>();
        for (String n : deployments.names()) {
            deployments.current(n).ifPresent(d -> out.add(d.spec));
        }
        return out;
    }

    /** What each arm, the shadow and the fallback of a deployment currently run ({@code arm:main -> 3}). */
    public Map<String, Integer> resolvedVersions(String name) {
        return existing(name).versions();
    }

    /** Sets arm weights by arm name; arms not named keep theirs. */
    public DeploymentSpec setWeights(String name, Map<String, Double> weights) {
        DeploymentSpec spec = existing(name).spec;
        Set<String> unknown = new HashSet<>(weights.keySet());
        List<Arm> arms = new ArrayList<>();
        for (Arm a : spec.arms()) {
            unknown.remove(a.name());
            arms.add(new Arm(a.name(), a.target(), weights.getOrDefault(a.name(), a.weight())));
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("weights name the arms " + unknown + " but deployment '" + name + "' has the arms "
                    + spec.arms().stream().map(Arm::name).toList());
        }
        DeploymentSpec next = spec.toBuilder().arms(arms).build();
        deploy(next);
        return next;
    }

    /** Gives {@code arm} the share {@code percent} and splits the rest over the other arms by their weights. */
    public DeploymentSpec setShare(String name, String arm, double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new InvalidInputException("percent was " + percent + " but it must be between 0 and 100");
        }
        DeploymentSpec spec = existing(name).spec;
        armOf(spec, arm);
        double others = spec.arms().stream().filter(a -> !a.name().equals(arm)).mapToDouble(Arm::weight).sum();
        long count = spec.arms().size() - 1L;
        Map<String, Double> w = new LinkedHashMap<>();
        for (Arm a : spec.arms()) {
            if (a.name().equals(arm)) {
                w.put(a.name(), percent);
            } else {
                w.put(a.name(), (100 - percent) * (others > 0 ? a.weight() / others : 1.0 / count));
            }
        }
        return setWeights(name, w);
    }

    /** Sends all traffic to one arm's model: the end of a successful canary or A/B test. */
    public DeploymentSpec promote(String name, String arm) {
        DeploymentSpec spec = existing(name).spec;
        Arm winner = armOf(spec, arm);
        DeploymentSpec next = spec.toBuilder().arms(List.of(new Arm(winner.name(), winner.target(), 1))).build();
        deploy(next);
        return next;
    }

    /** Restores the deployment's configuration before its last change. */
    public DeploymentSpec rollback(String name) {
        return deployments.rollback(name).spec;
    }

    /**
     * Re-resolves the aliases deployments follow and hot-swaps those whose alias moved.
     * Returns the names of the deployments that changed.
     */
    public List<String> refresh() {
        List<String> changed = new ArrayList<>();
        for (String n : deployments.names()) {
            if (deployments.refresh(n)) {
                changed.add(n);
            }
        }
        return changed;
    }

    private ActiveDeployment existing(String name) {
        return deployments.current(name).orElseThrow(() -> new NotFoundException(
                "deployment '" + name + "' does not exist; deployments: " + deployments.names()));
    }

    private static Arm armOf(DeploymentSpec spec, String arm) {
        return spec.arms().stream().filter(a -> a.name().equals(arm)).findFirst().orElseThrow(() -> new NotFoundException(
                "arm '" + arm + "' is not in deployment '" + spec.name() + "'; arms: " + spec.arms().stream().map(Arm::name).toList()));
    }

    /**
     * Tells {@code listener} of every request as it ends: arm, model, outcome, latency and answer,
     * shadow calls included. Close the returned handle to stop. Used to compare a candidate's arm
     * with its champion's during a staged rollout.
     */
    public AutoCloseable addListener(ServedListener listener) {
        return predictor.addListener(java.util.Objects.requireNonNull(listener, "listener"));
    }

    // ---- requests ----

    public Prediction predict(String deployment, PredictRequest request) {
        return predictor.predict(deployment, List.of(request)).get(0);
    }

    /** Predicts a batch; each request is routed on its own, each arm's share runs as one model call. */
    public List<Prediction> predictBatch(String deployment, List<PredictRequest> requests) {
        if (requests.isEmpty()) {
            throw new InvalidInputException("requests was empty but a batch needs at least one request");
        }
        if (requests.size() > maxBatch) {
            throw new CapacityException("batch had " + requests.size() + " requests but at most " + maxBatch + " are allowed");
        }
        return predictor.predict(deployment, requests);
    }

    public Ranking rank(String deployment, RankRequest request) {
        return ranker.rank(deployment, request);
    }

    /**
     * Runs a model on raw tensors (the Open Inference Protocol). {@code name} is a deployment
     * (routed like a prediction) or a model name; with a version, that loaded version.
     */
    public InferResult infer(String name, Optional<Integer> version, String requestId, Map<String, Tensor> inputs) {
        LoadedModel m = acquireForInfer(name, version, requestId);
        try {
            Map<String, Tensor> checked = checkInputs(m, inputs);
            long start = System.nanoTime();
            long deadline = start + inferBudget.toNanos();
            Future<Map<String, Tensor>> f = calls.start(m, () -> m.model.predict(checked), deadline, true);
            try {
                Map<String, Tensor> out = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                metrics.latency("inference", name, "infer", m.name(), m.number(), System.nanoTime() - start);
                metrics.request(name, "infer", m.name(), m.number(), "ok");
                predictor.record(new Prediction(requestId, name, "infer", m.name(), m.number(), tensorRow(out), AnswerSource.MODEL,
                        false), Map.of(), tensorRow(checked), false);
                return new InferResult(m.name(), m.number(), out);
            } catch (TimeoutException e) {
                f.cancel(true);
                metrics.error(name, "timeout");
                throw new dev.ferry.DeadlineExceededException("model " + m.version.ref() + " did not answer within " + inferBudget);
            } catch (ExecutionException e) {
                metrics.error(name, "model_error");
                if (e.getCause() instanceof FerryException fe) {
                    throw fe;
                }
                throw new dev.ferry.UnavailableException("model " + m.version.ref() + " failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.ferry.UnavailableException("interrupted while waiting for model " + m.version.ref());
            }
        } finally {
            m.release();
        }
    }

    private LoadedModel acquireForInfer(String name, Optional<Integer> version, String requestId) {
        if (version.isEmpty() && deployments.current(name).isPresent()) {
            ActiveDeployment d = deployments.pin(name);
            try {
                LoadedModel m = d.route(requestId).model();
                if (m.tryAcquire()) {
                    return m;
                }
            } finally {
                d.release();
            }
        }
        if (version.isPresent()) {
            Optional<LoadedModel> m = pool.acquire(name, version.get());
            if (m.isPresent()) {
                return m.get();
            }
        } else {
            List<LoadedModel> loaded = pool.loaded().stream().filter(l -> l.name().equals(name)).toList();
            for (int i = loaded.size() - 1; i >= 0; i--) {
                if (loaded.get(i).tryAcquire()) {
                    return loaded.get(i);
                }
            }
        }
        throw notServing(name, version);
    }

    private RuntimeException notServing(String name, Optional<Integer> version) {
        if (deployments.pending(name)) {
            return new NotReadyException("deployment '" + name + "' is still loading its models");
        }
        boolean known;
        try {
            known = version.isPresent() ? registry.version(name, version.get()) != null : !registry.versions(name).isEmpty();
        } catch (NotFoundException e) {
            known = false;
        }
        String what = "model '" + name + "'" + version.map(v -> " version " + v).orElse("");
        if (known) {
            return new NotReadyException(what + " is in the registry but not loaded; deploy it to serve it");
        }
        return new NotFoundException(what + " is neither a deployment nor a registered model");
    }

    /** Tensors as a log row: name to its flat data (the shape follows from the signature and batch). */
    private static dev.ferry.types.Row tensorRow(Map<String, Tensor> tensors) {
        Map<String, Object> m = new LinkedHashMap<>();
        tensors.forEach((k, t) -> m.put(k, t.data()));
        return new dev.ferry.types.Row(m);
    }

    private static Map<String, Tensor> checkInputs(LoadedModel m, Map<String, Tensor> inputs) {
        List<TensorSpec> specs = m.model.signature().inputs();
        List<String> problems = new ArrayList<>();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : specs) {
            Tensor t = inputs.get(spec.name());
            if (t == null) {
                problems.add("input '" + spec.name() + "' is missing; the model takes " + specs);
                continue;
            }
            try {
                spec.check(t);
                out.put(spec.name(), t);
            } catch (InvalidInputException e) {
                problems.add(e.getMessage());
            }
        }
        for (String n : inputs.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(n))) {
                problems.add("input '" + n + "' is not an input of model " + m.version.ref() + "; its inputs are " + specs);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
        return out;
    }

    // ---- status ----

    /** The loaded model a name (deployment or model) and optional version refer to. */
    public ModelStatus model(String name, Optional<Integer> version) {
        LoadedModel m = acquireForInfer(name, version, name);
        try {
            return new ModelStatus(m.version, true, platform(m.version.format()));
        } finally {
            m.release();
        }
    }

    /** Every loaded model version. */
    public List<ModelStatus> models() {
        List<ModelStatus> out = new ArrayList<>();
        for (LoadedModel m : pool.loaded()) {
            out.add(new ModelStatus(m.version, true, platform(m.version.format())));
        }
        return out;
    }

    /** Whether a model (or deployment) can serve now. */
    public boolean ready(String name, Optional<Integer> version) {
        try {
            model(name, version);
            return true;
        } catch (NotReadyException e) {
            return false;
        }
    }

    /** True when no deployment is still loading its first models. */
    public boolean ready() {
        return !deployments.anyPending();
    }

    /** The OIP platform string of a format. */
    public static String platform(ModelFormat format) {
        return switch (format) {
            case ONNX -> "onnx_onnxv1";
            case XGBOOST -> "xgboost_xgboost4j";
            case LIGHTGBM -> "lightgbm_lightgbm4j";
        };
    }

    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** Waits until every prediction logged so far has reached the sink (for tests and shutdown). */
    public void awaitLogWritten() throws InterruptedException {
        log.awaitWritten();
    }

    /** Releases every deployment (closing its models) and flushes the prediction log. */
    @Override
    public void close() {
        deployments.closeAll();
        pool.close();
        log.close();
        calls.close();
        if (ownsInference) {
            inference.shutdownNow();
        }
    }

    /** Configures a {@link ServingEngine}; only the registry is required. */
    public static final class Builder {
        private ModelRegistry registry;
        private FeatureFetcher fetcher = request -> new FetchedFeatures(
                java.util.Collections.nCopies(request.entities().size(), new dev.ferry.types.Row(Map.of())), true,
                List.of("no feature fetcher configured"));
        private PrecomputedAnswers precomputed = PrecomputedAnswers.none();
        private Clock clock = Clock.systemUTC();
        private ExecutorService inference;
        private java.util.concurrent.Executor shadowExecutor;
        private int shadowConcurrency = 64;
        private PredictionLogSink sink = PredictionLogSink.discard();
        private int logCapacity = 65_536;
        private ThreadFactory logThreads = Thread.ofPlatform().daemon().name("ferry-prediction-log").factory();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private int maxBatch = 1000;
        private Duration inferBudget = Duration.ofSeconds(5);
        private Duration loadTimeout = Duration.ofMinutes(2);
        private Isolation isolation = Isolation.AUTO;
        private Duration isolationPeriod = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder registry(ModelRegistry value) {
            registry = value;
            return this;
        }

        public Builder featureFetcher(FeatureFetcher value) {
            fetcher = value;
            return this;
        }

        public Builder precomputedAnswers(PrecomputedAnswers value) {
            precomputed = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        /** Where model calls run; default a virtual thread per call. The engine does not shut a given one down. */
        public Builder inferenceExecutor(ExecutorService value) {
            inference = value;
            return this;
        }

        /** Where model calls run: see {@link Isolation}; default {@link Isolation#AUTO}. */
        public Builder isolation(Isolation value) {
            isolation = value;
            return this;
        }

        /**
         * How long a model that passed its budget inline runs on the executor before it is tried
         * inline again (default 30 s); zero keeps every call inline, the watchdog still cutting
         * off late ones.
         */
        public Builder isolationPeriod(Duration value) {
            isolationPeriod = value;
            return this;
        }

        /** Where shadow calls run (default: the inference executor), and how many may run at once. */
        public Builder shadowExecutor(java.util.concurrent.Executor value, int concurrency) {
            shadowExecutor = value;
            shadowConcurrency = concurrency;
            return this;
        }

        public Builder predictionLog(PredictionLogSink value, int queueCapacity) {
            sink = value;
            logCapacity = queueCapacity;
            return this;
        }

        public Builder predictionLogThreads(ThreadFactory value) {
            logThreads = value;
            return this;
        }

        public Builder meterRegistry(MeterRegistry value) {
            meters = value;
            return this;
        }

        public Builder maxBatch(int value) {
            maxBatch = value;
            return this;
        }

        /** Time budget of a raw-tensor inference ({@link ServingEngine#infer}); predictions use their deployment's. */
        public Builder inferBudget(Duration value) {
            inferBudget = value;
            return this;
        }

        /** How long a new model's validation and warm-up may take before its load fails. */
        public Builder loadTimeout(Duration value) {
            loadTimeout = value;
            return this;
        }

        /** Builds the engine; every invalid option is reported at once. */
        public ServingEngine build() {
            List<String> problems = new ArrayList<>();
            if (registry == null) {
                problems.add("registry was not set but it is required");
            }
            if (fetcher == null || precomputed == null || clock == null || sink == null || logThreads == null || meters == null) {
                problems.add("featureFetcher, precomputedAnswers, clock, predictionLog, predictionLogThreads and meterRegistry must not be null");
            }
            if (shadowConcurrency <= 0) {
                problems.add("shadow concurrency was " + shadowConcurrency + " but it must be positive");
            }
            if (logCapacity <= 0) {
                problems.add("prediction log queue capacity was " + logCapacity + " but it must be positive");
            }
            if (maxBatch <= 0) {
                problems.add("maxBatch was " + maxBatch + " but it must be positive");
            }
            if (inferBudget == null || inferBudget.isNegative() || inferBudget.isZero()) {
                problems.add("inferBudget was " + inferBudget + " but it must be positive");
            }
            if (isolation == null) {
                problems.add("isolation was null but it must be 'auto' or 'thread'");
            }
            if (isolationPeriod == null || isolationPeriod.isNegative()) {
                problems.add("isolationPeriod was " + isolationPeriod + " but it must be zero or positive");
            }
            if (loadTimeout == null || loadTimeout.isNegative() || loadTimeout.isZero()) {
                problems.add("loadTimeout was " + loadTimeout + " but it must be positive");
            }
            if (!problems.isEmpty()) {
                throw new InvalidInputException("serving engine configuration is invalid: " + String.join("; ", problems));
            }
            return new ServingEngine(this);
        }
    }
}
