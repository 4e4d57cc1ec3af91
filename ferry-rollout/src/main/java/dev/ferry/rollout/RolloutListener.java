package dev.ferry.rollout;

/**
 * Told of every transition of every rollout this server makes, automatic or by hand; the
 * server writes each one to its audit log.
 */
@FunctionalInterface
public interface RolloutListener {

    void transition(RolloutState state, Transition transition);
}
