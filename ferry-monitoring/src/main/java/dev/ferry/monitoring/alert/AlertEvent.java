package dev.ferry.monitoring.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An alert changing state: a series of a rule started {@link State#FIRING} or was
 * {@link State#RESOLVED}. Notifiers get each event once; nothing is sent while a series keeps firing.
 *
 * @param since when the condition started (firing) or stopped (resolved) holding
 */
public record AlertEvent(State state, AlertRule rule, ScoreKey score, double value, Instant at, Instant since) {

    /** What happened to the series. */
    public enum State {
        FIRING,
        RESOLVED
    }

    /** The event as a JSON-ready map (the webhook body). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", state.name().toLowerCase(Locale.ROOT));
        m.put("rule", rule.name());
        m.put("score", score.toString());
        m.put("name", score.name());
        m.put("labels", score.labels());
        m.put("value", Double.isFinite(value) ? value : null);
        m.put("comparison", rule.comparison().symbol());
        m.put("threshold", rule.threshold());
        m.put("for", rule.sustainedFor().toString());
        m.put("severity", rule.severity());
        m.put("description", rule.description());
        m.put("at", at.toString());
        m.put("since", since.toString());
        return m;
    }

    /** One line for logs. */
    public String message() {
        return "alert " + rule.name() + " " + state.name().toLowerCase(Locale.ROOT) + ": " + score + " = " + value + " ("
                + rule.comparison().symbol() + " " + rule.threshold() + " since " + since + ")";
    }
}
