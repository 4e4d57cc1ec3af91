package dev.ferry.serving;

import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The request path: route, fetch features, convert with {@code RowTensors}, run the model under
 * the deployment's time budget, fall back when it fails, mirror to the shadow, and log.
 */
final class Predictor {

    /** What one model call produced for a group of requests. */
    record Outcome(List<Row> features, List<Row> outputs, boolean degraded) {
    }

    private final FeatureFetcher fetcher;
    private final PrecomputedAnswers precomputed;
    private final ModelCalls calls;
    private final BoundedExecutor shadows;
    private final AsyncPredictionLog log;
    private final ServingMetrics metrics;
    private final Clock clock;
    private final Deployments deployments;
    private final Budget budget;
    private final List<ServedListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    Predictor(Deployments deployments, FeatureFetcher fetcher, PrecomputedAnswers precomputed, ModelCalls calls,
              BoundedExecutor shadows, AsyncPredictionLog log, ServingMetrics metrics, Clock clock) {
        this.deployments = deployments;
        this.fetcher = fetcher;
        this.precomputed = precomputed;
        this.calls = calls;
        this.shadows = shadows;
        this.log = log;
        this.metrics = metrics;
        this.clock = clock;
        this.budget = new Budget();
    }

    AutoCloseable addListener(ServedListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void served(String deployment, String arm, LoadedModel m, boolean shadow, ServedRequest.Outcome outcome,
                        long nanos, Row output, int count) {
        if (listeners.isEmpty()) {
            return;
        }
        ServedRequest r = new ServedRequest(deployment, arm, m.name(), m.number(), shadow, outcome, nanos, Optional.ofNullable(output));
        for (int i = 0; i < count; i++) {
            for (ServedListener l : listeners) {
                try {
                    l.served(r);
                } catch (RuntimeException e) {
                    // a listener never fails a request
                }
            }
        }
    }

    List<Prediction> predict(String name, List<PredictRequest> requests) {
        long start = System.nanoTime();
        ActiveDeployment d = deployments.pin(name);
        try {
            long deadline = start + d.spec.budget().toNanos();
            int n = requests.size();
            String[] ids = new String[n];
            Map<ActiveDeployment.ResolvedArm, List<Integer>> groups = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                PredictRequest r = requests.get(i);
                String prefix = n == 1 ? "" : "requests[" + i + "].";
                checkEntity(d.spec, r.entity(), prefix);
                ids[i] = r.requestId().orElseGet(() -> RequestIds.next());
                ActiveDeployment.ResolvedArm arm = d.route(r.entity(), ids[i]);
                checkFeatures(arm.model(), r.features(), prefix);
                groups.computeIfAbsent(arm, k -> new ArrayList<>()).add(i);
            }
            mirror(d, requests, ids);
            Prediction[] out = new Prediction[n];
            Map<ActiveDeployment.ResolvedArm, Future<Outcome>> running = new LinkedHashMap<>();
            int last = groups.size() - 1;
            for (var g : groups.entrySet()) {
                // the last group may run on this thread: the others are already running on the executor
                ActiveDeployment.ResolvedArm arm = g.getKey();
                running.put(arm, start(name, arm.arm().name(), arm.model(), select(requests, g.getValue()), deadline,
                        running.size() == last));
            }
            for (var e : running.entrySet()) {
                List<Integer> idx = groups.get(e.getKey());
                answer(d, e.getKey(), idx, requests, ids, e.getValue(), start, deadline, out);
            }
            return List.of(out);
        } finally {
            d.release();
        }
    }

    private static List<PredictRequest> select(List<PredictRequest> requests, List<Integer> idx) {
        List<PredictRequest> out = new ArrayList<>(idx.size());
        idx.forEach(i -> out.add(requests.get(i)));
        return out;
    }

    private Future<Outcome> start(String deployment, String arm, LoadedModel model, List<PredictRequest> reqs, long deadline,
                                  boolean inline) {
        List<Map<String, Object>> entities = new ArrayList<>(reqs.size());
        List<Map<String, Object>> given = new ArrayList<>(reqs.size());
        for (PredictRequest r : reqs) {
            entities.add(r.entity());
            given.add(r.features());
        }
        return call(deployment, arm, model, entities, given, deadline, inline);
    }

    /** Starts a model call (features and inference) with {@link ModelCalls}, on this thread if {@code inline} is allowed. */
    Future<Outcome> call(String deployment, String arm, LoadedModel model, List<Map<String, Object>> entities,
                         List<Map<String, Object>> given, long deadline, boolean inline) {
        return calls.start(model, () -> run(deployment, arm, model, entities, given), deadline, inline);
    }

    private Outcome run(String deployment, String arm, LoadedModel m, List<Map<String, Object>> entities,
                        List<Map<String, Object>> given) {
        List<String> names = m.featureNames;
        List<String> needed = new ArrayList<>(names.size());
        for (String f : names) {
            for (Map<String, Object> g : given) {
                if (!g.containsKey(f)) {
                    needed.add(f);
                    break;
                }
            }
        }
        FetchedFeatures fetched = null;
        boolean degraded = false;
        if (!needed.isEmpty()) {
            long t0 = System.nanoTime();
            try {
                fetched = fetcher.fetch(new FeatureRequest(deployment, needed, m.version.provenance().features(), entities));
                if (fetched.rows().size() != entities.size()) {
                    throw new IllegalStateException("feature fetcher returned " + fetched.rows().size() + " rows for "
                            + entities.size() + " entities");
                }
                degraded = fetched.degraded();
            } catch (RuntimeException e) {
                // a store outage degrades the answer (missing values) instead of failing it
                fetched = null;
                degraded = true;
                metrics.error(deployment, "feature_fetch");
            } finally {
                metrics.latency("features", deployment, arm, m.name(), m.number(), System.nanoTime() - t0);
            }
        }
        List<Row> rows = new ArrayList<>(entities.size());
        for (int r = 0; r < entities.size(); r++) {
            LinkedHashMap<String, Object> values = new LinkedHashMap<>(names.size() * 2);
            Map<String, Object> g = given.get(r);
            Map<String, Object> row = fetched == null ? null : fetched.rows().get(r).values();
            for (String f : names) {
                values.put(f, g.containsKey(f) ? g.get(f) : row == null ? null : row.get(f));
            }
            rows.add(Row.owning(values));
        }
        long t1 = System.nanoTime();
        List<Row> outputs = m.model.predictRows(rows);
        metrics.latency("inference", deployment, arm, m.name(), m.number(), System.nanoTime() - t1);
        return new Outcome(rows, outputs, degraded);
    }

    private void answer(ActiveDeployment d, ActiveDeployment.ResolvedArm arm, List<Integer> idx, List<PredictRequest> requests,
                        String[] ids, Future<Outcome> future, long start, long deadline, Prediction[] out) {
        String name = d.spec.name();
        String armName = arm.arm().name();
        LoadedModel m = arm.model();
        Budget.Result<Outcome> result = budget.await(future, deadline);
        // from the request's arrival, so queueing before the model call counts too
        long took = System.nanoTime() - start;
        metrics.latency("total", name, armName, m.name(), m.number(), took);
        if (result.value().isPresent()) {
            Outcome o = result.value().get();
            for (int k = 0; k < idx.size(); k++) {
                int i = idx.get(k);
                served(name, armName, m, false, ServedRequest.Outcome.ANSWERED, took, o.outputs().get(k), 1);
                Prediction p = new Prediction(ids[i], name, armName, m.name(), m.number(), o.outputs().get(k),
                        AnswerSource.MODEL, o.degraded());
                out[i] = p;
                record(p, requests.get(i).entity(), o.features().get(k), false);
                metrics.request(name, armName, m.name(), m.number(), o.degraded() ? "degraded" : "ok");
            }
            if (o.degraded()) {
                metrics.degraded(name);
            }
            return;
        }
        metrics.error(name, result.cause());
        boolean answered = false;
        try {
            fallback(d, armName, idx, requests, ids, result, out);
            answered = true;
        } finally {
            served(name, armName, m, false, answered ? ServedRequest.Outcome.FALLBACK : ServedRequest.Outcome.FAILED,
                    System.nanoTime() - start, null, idx.size());
        }
    }

    private void fallback(ActiveDeployment d, String armName, List<Integer> idx, List<PredictRequest> requests, String[] ids,
                          Budget.Result<Outcome> failure, Prediction[] out) {
        String name = d.spec.name();
        if (d.fallback.isPresent()) {
            LoadedModel fb = d.fallback.get();
            List<PredictRequest> reqs = select(requests, idx);
            long deadline = System.nanoTime() + d.spec.budget().toNanos();
            Budget.Result<Outcome> r = budget.await(start(name, armName, fb, reqs, deadline, true), deadline);
            if (r.value().isPresent()) {
                Outcome o = r.value().get();
                for (int k = 0; k < idx.size(); k++) {
                    int i = idx.get(k);
                    out[i] = new Prediction(ids[i], name, armName, fb.name(), fb.number(), o.outputs().get(k),
                            AnswerSource.FALLBACK_MODEL, true);
                    record(out[i], requests.get(i).entity(), o.features().get(k), false);
                    metrics.request(name, armName, fb.name(), fb.number(), "fallback_model");
                }
                metrics.fallback(name, AnswerSource.FALLBACK_MODEL, failure.cause());
                return;
            }
        }
        for (int i : idx) {
            PredictRequest r = requests.get(i);
            Optional<Row> pre = safeLookup(name, r.entity());
            AnswerSource source;
            Row output;
            if (pre.isPresent()) {
                source = AnswerSource.PRECOMPUTED;
                output = pre.get();
            } else if (d.spec.staticDefault().isPresent()) {
                source = AnswerSource.STATIC_DEFAULT;
                output = new Row(d.spec.staticDefault().get());
            } else {
                throw failure.toException("deployment '" + name + "' arm '" + armName + "'");
            }
            out[i] = new Prediction(ids[i], name, armName, "", 0, output, source, true);
            record(out[i], r.entity(), new Row(r.features()), false);
            metrics.fallback(name, source, failure.cause());
            metrics.request(name, armName, "", 0, source.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private Optional<Row> safeLookup(String deployment, Map<String, Object> entity) {
        try {
            return precomputed.lookup(deployment, entity);
        } catch (RuntimeException e) {
            metrics.error(deployment, "precomputed_lookup");
            return Optional.empty();
        }
    }

    private void mirror(ActiveDeployment d, List<PredictRequest> requests, String[] ids) {
        if (d.shadow.isEmpty()) {
            return;
        }
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (d.mirror(ids[i])) {
                picked.add(i);
            }
        }
        if (picked.isEmpty()) {
            return;
        }
        LoadedModel shadow = d.shadow.get();
        if (!shadow.tryAcquire()) {
            return;
        }
        String name = d.spec.name();
        boolean started = shadows.trySubmit(() -> {
            try {
                List<PredictRequest> reqs = select(requests, picked);
                List<Map<String, Object>> entities = new ArrayList<>();
                List<Map<String, Object>> given = new ArrayList<>();
                reqs.forEach(r -> {
                    entities.add(r.entity());
                    given.add(r.features());
                });
                long t0 = System.nanoTime();
                Outcome o;
                try {
                    o = run(name, "shadow", shadow, entities, given);
                } catch (RuntimeException e) {
                    served(name, "shadow", shadow, true, ServedRequest.Outcome.FAILED, System.nanoTime() - t0, null, picked.size());
                    throw e;
                }
                long took = System.nanoTime() - t0;
                for (int k = 0; k < picked.size(); k++) {
                    int i = picked.get(k);
                    served(name, "shadow", shadow, true, ServedRequest.Outcome.ANSWERED, took, o.outputs().get(k), 1);
                    record(new Prediction(ids[i], name, "shadow", shadow.name(), shadow.number(), o.outputs().get(k),
                            AnswerSource.MODEL, o.degraded()), requests.get(i).entity(), o.features().get(k), true);
                }
                metrics.shadow(name, "ok");
            } catch (Throwable t) {
                metrics.shadow(name, "error");
            } finally {
                shadow.release();
            }
        });
        if (!started) {
            shadow.release();
        }
    }

    void record(Prediction p, Map<String, Object> entity, Row features, boolean shadow) {
        log.offer(new PredictionRecord(p.requestId(), clock.instant(), p.deployment(), p.arm(), p.model(), p.version(),
                shadow, p.source(), p.degraded(), entity, features, p.output()));
    }

    static void checkEntity(DeploymentSpec spec, Map<String, Object> entity, String prefix) {
        for (String key : spec.entityKeys()) {
            if (entity.get(key) == null) {
                throw new InvalidInputException("field '" + prefix + "entity." + key + "' is missing but deployment '"
                        + spec.name() + "' requires the entity keys " + spec.entityKeys());
            }
        }
    }

    /** Request-time values are the caller's: a wrong one is a 400, not a reason to fall back. */
    static void checkFeatures(LoadedModel m, Map<String, Object> features, String prefix) {
        var schema = m.schema;
        for (var e : features.entrySet()) {
            Optional<Field> f = schema.find(e.getKey());
            if (f.isEmpty()) {
                throw new InvalidInputException("field '" + prefix + "features." + e.getKey() + "' is not a feature of model "
                        + m.version.ref() + "; its features are " + schema.names());
            }
            try {
                f.get().coerce(e.getValue());
            } catch (FerryException ex) {
                throw new InvalidInputException("field '" + prefix + "features." + e.getKey() + "': " + ex.getMessage());
            }
        }
    }
}
