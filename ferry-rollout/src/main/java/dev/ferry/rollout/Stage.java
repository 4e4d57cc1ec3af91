package dev.ferry.rollout;

/** Where a rollout is. The first five move forward; the last three are final. */
public enum Stage {
    /** The candidate's recorded metrics against the champion's; no traffic yet. */
    OFFLINE,
    /** Requests mirrored to the candidate; its answers are only logged and compared. */
    SHADOW,
    /** A rising share of traffic (the ladder's steps below 100 %) routed to the candidate. */
    CANARY,
    /** All traffic to the candidate; the champion runs as the shadow for comparison. */
    FULL,
    /** As full, for the watch period: a failed gate still rolls back automatically. */
    WATCH,
    /** The candidate serves alone; the rollout is over. */
    COMPLETED,
    /** A gate failed; the champion serves all traffic again. */
    ROLLED_BACK,
    /** Stopped by hand; the champion serves all traffic again. */
    ABORTED;

    public boolean terminal() {
        return this == COMPLETED || this == ROLLED_BACK || this == ABORTED;
    }
}
