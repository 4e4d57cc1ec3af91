package dev.ferry.monitoring.outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins outcomes to logged predictions. By request id: every prediction of that request (the
 * served one and its shadows). By entity and time: the latest served prediction for the entity at
 * or before the outcome's time and not older than {@code window}, plus that request's shadows.
 * When several predictions share the latest time, the one logged last wins.
 */
public final class OutcomeJoiner {

    private final Map<String, List<LoggedPrediction>> byRequest = new HashMap<>();
    private final Map<String, List<LoggedPrediction>> byEntity = new HashMap<>();
    private final Duration window;

    public OutcomeJoiner(List<LoggedPrediction> predictions, Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new dev.ferry.InvalidInputException("join window was " + window + " but it must be positive");
        }
        this.window = window;
        for (LoggedPrediction p : predictions) {
            byRequest.computeIfAbsent(p.requestId(), k -> new ArrayList<>()).add(p);
            if (!p.shadow()) {
                byEntity.computeIfAbsent(p.entityKey(), k -> new ArrayList<>()).add(p);
            }
        }
        byEntity.values().forEach(l -> l.sort(Comparator.comparing(LoggedPrediction::at)));
    }

    /** The predictions this outcome judges; empty when none matches. */
    public List<LoggedPrediction> match(Outcome o) {
        if (o.requestId().isPresent()) {
            return byRequest.getOrDefault(o.requestId().get(), List.of());
        }
        List<LoggedPrediction> candidates = byEntity.getOrDefault(EntityKeys.canonical(o.entity()), List.of());
        Instant t = o.at().orElseThrow();
        int lo = 0;
        int hi = candidates.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (candidates.get(mid).at().isAfter(t)) {
                hi = mid - 1;
            } else {
                found = mid;
                lo = mid + 1;
            }
        }
        if (found < 0 || candidates.get(found).at().isBefore(t.minus(window))) {
            return List.of();
        }
        return byRequest.get(candidates.get(found).requestId());
    }
}
