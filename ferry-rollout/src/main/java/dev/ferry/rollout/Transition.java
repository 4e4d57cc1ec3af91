package dev.ferry.rollout;

import java.time.Instant;

/**
 * One step of a rollout's history, written to the audit log as it happens.
 *
 * @param at      when
 * @param from    the stage left (with its canary percent, e.g. {@code CANARY 10%})
 * @param to      the stage entered
 * @param actor   who moved it: a user through the admin API, or {@code rollout} for the gates
 * @param reason  why, in words with the figures that decided
 */
public record Transition(Instant at, String from, String to, String actor, String reason) {
}
