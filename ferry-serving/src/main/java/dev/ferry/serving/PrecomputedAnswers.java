package dev.ferry.serving;

import dev.ferry.types.Row;
import java.util.Map;
import java.util.Optional;

/**
 * Answers computed ahead of time (typically by batch scoring) that the engine serves when the
 * model errs or runs out of time: the second step of the fallback chain, after a fallback model
 * and before a deployment's static default. {@link InMemoryPrecomputedAnswers} is the embedded
 * implementation.
 */
public interface PrecomputedAnswers {

    /** The stored output for an entity of a deployment, if there is one. */
    Optional<Row> lookup(String deployment, Map<String, Object> entity);

    /** No precomputed answers at all. */
    static PrecomputedAnswers none() {
        return (deployment, entity) -> Optional.empty();
    }
}
