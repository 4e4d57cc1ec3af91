package dev.ferry.monitoring.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * One alert rule: every score matching {@code selector} (its name and at least its labels) is its
 * own series; a series fires once {@code comparison threshold} has held for {@code sustainedFor}
 * and resolves once it has not held for {@code resolveAfter}.
 *
 * @param name         unique rule name
 * @param selector     the scores judged, e.g. {@code accuracy{deployment=credit}}
 * @param comparison   how the score is compared
 * @param threshold    the threshold
 * @param sustainedFor how long the condition must hold before firing (zero fires at once)
 * @param resolveAfter how long it must not hold before resolving (zero resolves at once)
 * @param severity     free text passed to notifiers, e.g. {@code warning}, {@code critical}
 * @param description  free text passed to notifiers
 */
public record AlertRule(String name, ScoreKey selector, Comparison comparison, double threshold, Duration sustainedFor,
                        Duration resolveAfter, String severity, String description) {

    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(sustainedFor, "sustainedFor");
        Objects.requireNonNull(resolveAfter, "resolveAfter");
        severity = severity == null ? "warning" : severity;
        description = description == null ? "" : description;
    }

    /** A rule with the same duration for firing and resolving, severity warning, no description. */
    public static AlertRule of(String name, String selector, Comparison comparison, double threshold, Duration sustainedFor) {
        return new AlertRule(name, ScoreKey.parse(selector), comparison, threshold, sustainedFor, sustainedFor, "warning", "");
    }

    /** The condition in words: {@code accuracy{deployment=credit} < 0.8 for PT30M}. */
    public String condition() {
        return selector + " " + comparison.symbol() + " " + threshold + " for " + sustainedFor;
    }
}
