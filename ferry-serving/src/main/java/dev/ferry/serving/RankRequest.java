package dev.ferry.serving;

import dev.ferry.CapacityException;
import dev.ferry.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ranks candidates for one entity: each candidate becomes a row whose entity keys are the
 * request's plus {@code candidateKey = id}, stored features are fetched for all candidates at
 * once, and the top {@code k} by score are returned.
 *
 * @param requestId    the caller's id, or empty
 * @param entity       the entity ranked for (e.g. the user)
 * @param candidateKey the entity key naming a candidate (e.g. {@code item_id})
 * @param candidates   candidate ids, at most {@link #MAX_CANDIDATES}
 * @param features     request-time features shared by all candidates
 * @param k            how many to return
 */
public record RankRequest(Optional<String> requestId, Map<String, Object> entity, String candidateKey,
                          List<String> candidates, Map<String, Object> features, int k) {

    /** The most candidates one request may carry. */
    public static final int MAX_CANDIDATES = 1000;

    public RankRequest {
        entity = Collections.unmodifiableMap(new LinkedHashMap<>(entity));
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        candidates = List.copyOf(candidates);
        if (candidateKey == null || candidateKey.isBlank()) {
            throw new InvalidInputException("candidate_key was '" + candidateKey + "' but it must name the candidates' entity key");
        }
        if (candidates.size() > MAX_CANDIDATES) {
            throw new CapacityException("candidates had " + candidates.size() + " entries but at most " + MAX_CANDIDATES + " are allowed");
        }
        if (k <= 0) {
            throw new InvalidInputException("k was " + k + " but it must be positive");
        }
    }
}
