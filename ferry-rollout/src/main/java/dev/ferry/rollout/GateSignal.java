package dev.ferry.rollout;

/**
 * A gate a rollout checks on every tick of its live stages. The built-in gates compare error
 * rate, fallback rate, p99 latency and prediction distributions between the candidate and the
 * champion; a drift or outcome monitor plugs in here with its own signal (e.g. accuracy on
 * labelled outcomes), given to {@link RolloutEngine.Builder#signal}. Return
 * {@link GateResult.Verdict#WAIT} until there is enough evidence either way.
 */
public interface GateSignal {

    String name();

    GateResult evaluate(GateContext context);
}
