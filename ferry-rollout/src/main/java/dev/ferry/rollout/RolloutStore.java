package dev.ferry.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where rollouts are persisted, and which server drives each one. Every change is a
 * compare-and-set on the state's revision, so a manual command and the driver never overwrite
 * each other; a lease with an expiry lets exactly one server drive a rollout while the others
 * follow its stage, and lets another take over when the driver stops renewing it.
 * {@link FileRolloutStore} serves one server; {@link PostgresRolloutStore} serves several
 * sharing one database.
 */
public interface RolloutStore extends AutoCloseable {

    /**
     * Stores a new rollout (revision 1 is returned); refused with a conflict if another rollout
     * of the same deployment is still active.
     */
    RolloutState create(RolloutState state);

    Optional<RolloutState> get(String id);

    /** Every rollout, newest first. */
    List<RolloutState> list();

    /**
     * Replaces the stored state if its revision is still {@code next.revision()}; returns the
     * stored state (with the next revision), or empty when someone else changed it first.
     */
    Optional<RolloutState> update(RolloutState next);

    /**
     * Takes or renews the lease on a rollout for {@code owner} until {@code now + ttl}; true
     * when {@code owner} holds it afterwards. A lease expired at {@code now} may be taken by anyone.
     */
    boolean lease(String id, String owner, Instant now, Duration ttl);

    /** Gives up {@code owner}'s lease on a rollout, if it holds it. */
    void release(String id, String owner);

    /** Publishes (replaces) {@code report.owner()}'s report on a rollout's traffic. */
    void report(String id, TrafficReport report);

    /** The reports on a rollout's traffic in {@code stage} published at or after {@code since}, by every server. */
    List<TrafficReport> reports(String id, String stage, Instant since);

    @Override
    void close();
}
