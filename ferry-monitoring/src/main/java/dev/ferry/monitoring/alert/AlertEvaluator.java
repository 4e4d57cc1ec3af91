package dev.ferry.monitoring.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges scores against alert rules, one series per matching score, keeping each series' state
 * between calls: a condition must hold for the rule's duration (by the injected clock) before the
 * series fires, and must stop holding for its resolve duration before it resolves; each change is
 * sent once to every notifier, so a firing alert is not repeated. A score that disappears counts
 * as not holding. Call {@link #evaluate} on a schedule, or once per window when replaying history.
 * Gauge {@code ferry.monitor.alerts.firing{rule}} counts firing series; counter
 * {@code ferry.monitor.alerts.notify.failed} counts notifier failures.
 */
public final class AlertEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final List<AlertRule> rules;
    private final Clock clock;
    private final List<AlertNotifier> notifiers;
    private final Map<String, Map<ScoreKey, Series>> series = new HashMap<>();
    private final Counter notifyFailed;

    public AlertEvaluator(List<AlertRule> rules, Clock clock, List<AlertNotifier> notifiers, MeterRegistry meters) {
        this.rules = List.copyOf(rules);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.notifiers = List.copyOf(notifiers);
        this.notifyFailed = meters.counter("ferry.monitor.alerts.notify.failed");
        Set<String> names = new HashSet<>();
        for (AlertRule r : this.rules) {
            if (!names.add(r.name())) {
                throw new dev.ferry.InvalidInputException("alert rule name '" + r.name() + "' appears twice but rule names must be unique");
            }
            series.put(r.name(), new LinkedHashMap<>());
            Gauge.builder("ferry.monitor.alerts.firing", this, e -> e.firingCount(r.name())).tag("rule", r.name())
                    .description("Series of this alert rule that are firing").register(meters);
        }
    }

    private static final class Series {
        boolean firing;
        Instant holdingSince;
        Instant clearSince;
        double value = Double.NaN;
    }

    /** Judges the board's current scores now; returns (and sends) the state changes. */
    public List<AlertEvent> evaluate(ScoreBoard board) {
        return evaluate(board.snapshot());
    }

    /** Judges {@code scores} now; returns (and sends) the state changes. */
    public synchronized List<AlertEvent> evaluate(Map<ScoreKey, Double> scores) {
        Instant now = clock.instant();
        List<AlertEvent> events = new ArrayList<>();
        for (AlertRule rule : rules) {
            Map<ScoreKey, Series> mine = series.get(rule.name());
            Set<ScoreKey> seen = new HashSet<>();
            scores.forEach((key, value) -> {
                if (key.matches(rule.selector())) {
                    seen.add(key);
                    Series s = mine.computeIfAbsent(key, k -> new Series());
                    step(rule, key, s, value, rule.comparison().holds(value, rule.threshold()), now, events);
                }
            });
            for (var it = mine.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!seen.contains(e.getKey())) {
                    step(rule, e.getKey(), e.getValue(), Double.NaN, false, now, events);
                }
                Series s = e.getValue();
                if (!s.firing && s.holdingSince == null) {
                    it.remove();
                }
            }
        }
        for (AlertEvent e : events) {
            for (AlertNotifier n : notifiers) {
                try {
                    n.notify(e);
                } catch (RuntimeException ex) {
                    notifyFailed.increment();
                    LOG.warn("sending {} failed: {}", e.message(), ex.getMessage());
                }
            }
        }
        return events;
    }

    private static void step(AlertRule rule, ScoreKey key, Series s, double value, boolean holds, Instant now, List<AlertEvent> out) {
        s.value = value;
        if (holds) {
            s.clearSince = null;
            if (s.holdingSince == null) {
                s.holdingSince = now;
            }
            if (!s.firing && !Duration.between(s.holdingSince, now).minus(rule.sustainedFor()).isNegative()) {
                s.firing = true;
                out.add(new AlertEvent(AlertEvent.State.FIRING, rule, key, value, now, s.holdingSince));
            }
        } else {
            s.holdingSince = null;
            if (s.firing) {
                if (s.clearSince == null) {
                    s.clearSince = now;
                }
                if (!Duration.between(s.clearSince, now).minus(rule.resolveAfter()).isNegative()) {
                    s.firing = false;
                    out.add(new AlertEvent(AlertEvent.State.RESOLVED, rule, key, value, now, s.clearSince));
                    s.clearSince = null;
                }
            }
        }
    }

    /** The series firing now, as score key text per rule name. */
    public synchronized Map<String, List<String>> firing() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        series.forEach((rule, m) -> m.forEach((k, s) -> {
            if (s.firing) {
                out.computeIfAbsent(rule, r -> new ArrayList<>()).add(k.toString());
            }
        }));
        return out;
    }

    private synchronized double firingCount(String rule) {
        return series.getOrDefault(rule, Map.of()).values().stream().filter(s -> s.firing).count();
    }
}
