package dev.ferry.serving;

import dev.ferry.InvalidInputException;
import dev.ferry.types.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores candidates for one entity with a single feature fetch and a single model call, and
 * keeps the top k. When the routed model fails, the deployment's fallback model ranks.
 */
final class Ranker {

    private final Deployments deployments;
    private final Predictor predictor;
    private final ServingMetrics metrics;
    private final Budget budget = new Budget();

    Ranker(Deployments deployments, Predictor predictor, ServingMetrics metrics) {
        this.deployments = deployments;
        this.predictor = predictor;
        this.metrics = metrics;
    }

    Ranking rank(String name, RankRequest req) {
        ActiveDeployment d = deployments.pin(name);
        try {
            long deadline = System.nanoTime() + d.spec.budget().toNanos();
            Predictor.checkEntity(d.spec, withCandidateKey(d.spec, req), "");
            String id = req.requestId().orElseGet(() -> RequestIds.next());
            ActiveDeployment.ResolvedArm arm = d.route(req.entity(), id);
            Predictor.checkFeatures(arm.model(), req.features(), "");
            List<Map<String, Object>> entities = new ArrayList<>(req.candidates().size());
            List<Map<String, Object>> given = new ArrayList<>(req.candidates().size());
            for (String c : req.candidates()) {
                Map<String, Object> e = new LinkedHashMap<>(req.entity());
                e.put(req.candidateKey(), c);
                entities.add(e);
                given.add(req.features());
            }
            String armName = arm.arm().name();
            LoadedModel model = arm.model();
            long start = System.nanoTime();
            Budget.Result<Predictor.Outcome> r = budget.await(predictor.call(name, armName, model, entities, given, deadline, true),
                    deadline);
            boolean degraded = false;
            if (r.value().isEmpty()) {
                metrics.error(name, r.cause());
                if (d.fallback.isEmpty()) {
                    throw r.toException("deployment '" + name + "' arm '" + armName + "'");
                }
                model = d.fallback.get();
                long fallbackDeadline = System.nanoTime() + d.spec.budget().toNanos();
                r = budget.await(predictor.call(name, armName, model, entities, given, fallbackDeadline, true), fallbackDeadline);
                if (r.value().isEmpty()) {
                    throw r.toException("deployment '" + name + "' fallback model " + model.version.ref());
                }
                metrics.fallback(name, AnswerSource.FALLBACK_MODEL, "rank");
                degraded = true;
            }
            Predictor.Outcome o = r.value().get();
            metrics.latency("total", name, armName, model.name(), model.number(), System.nanoTime() - start);
            metrics.request(name, armName, model.name(), model.number(), "rank");
            String output = d.spec.scoreOutput().orElse(model.model.signature().outputs().get(0).name());
            List<Ranking.Scored> scored = new ArrayList<>(entities.size());
            for (int i = 0; i < entities.size(); i++) {
                scored.add(new Ranking.Scored(req.candidates().get(i), score(o.outputs().get(i), output)));
            }
            scored.sort(Comparator.comparingDouble(Ranking.Scored::score).reversed());
            Ranking ranking = new Ranking(id, name, armName, model.name(), model.number(),
                    scored.subList(0, Math.min(req.k(), scored.size())), degraded || o.degraded());
            predictor.record(new Prediction(id, name, armName, model.name(), model.number(),
                    new Row(Map.of("ranking", ranking.items().stream().map(Ranking.Scored::id).toList())),
                    degraded ? AnswerSource.FALLBACK_MODEL : AnswerSource.MODEL, ranking.degraded()),
                    req.entity(), new Row(Map.of("candidates", req.candidates())), false);
            return ranking;
        } finally {
            d.release();
        }
    }

    private static Map<String, Object> withCandidateKey(DeploymentSpec spec, RankRequest req) {
        Map<String, Object> e = new LinkedHashMap<>(req.entity());
        if (spec.entityKeys().contains(req.candidateKey())) {
            e.put(req.candidateKey(), "candidate");
        }
        return e;
    }

    /** A scalar output as is; for a vector (class probabilities) the last element, the positive class. */
    private static double score(Row output, String name) {
        Object v = output.get(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v != null && v.getClass().isArray() && java.lang.reflect.Array.getLength(v) > 0) {
            Object last = java.lang.reflect.Array.get(v, java.lang.reflect.Array.getLength(v) - 1);
            if (last instanceof Number n) {
                return n.doubleValue();
            }
        }
        throw new InvalidInputException("score output '" + name + "' was " + v + " but ranking needs a numeric output; outputs: "
                + output.values().keySet());
    }
}
