package dev.ferry.rollout;

import java.time.Instant;

/**
 * What one server saw of a rollout's stage: the champion's and the candidate's figures in its own
 * traffic. Servers that do not drive a rollout publish one on every tick, and the driver pools
 * them with its own, so the gates judge the traffic of every server sharing the store.
 *
 * @param owner     the server that saw it
 * @param stage     the stage's label ({@code CANARY 10%}); a report of another stage is ignored
 * @param at        when it was published; a report older than the lease is ignored (its server stopped)
 * @param champion  the champion's figures
 * @param candidate the candidate's figures
 */
public record TrafficReport(String owner, String stage, Instant at, ArmSample champion, ArmSample candidate) {
}
