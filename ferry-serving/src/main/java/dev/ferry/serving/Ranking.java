package dev.ferry.serving;

import java.util.List;

/**
 * The answer to a {@link RankRequest}: the best candidates, highest score first.
 *
 * @param requestId  the request id
 * @param deployment the deployment that answered
 * @param arm        the arm the entity was routed to
 * @param model      model name
 * @param version    model version
 * @param items      at most k candidates with their scores, best first
 * @param degraded   true when features were missing or stale
 */
public record Ranking(String requestId, String deployment, String arm, String model, int version, List<Scored> items,
                      boolean degraded) {

    public Ranking {
        items = List.copyOf(items);
    }

    /** One ranked candidate. */
    public record Scored(String id, double score) {
    }
}
