package dev.ferry.serving;

import dev.ferry.InvalidInputException;

/**
 * A model that receives a copy of a share of a deployment's requests. Its answers are logged,
 * never returned, and it can neither slow nor fail the primary answer.
 *
 * @param target the shadow model
 * @param share  fraction of requests mirrored, 0 to 1
 */
public record Shadow(ModelRef target, double share) {

    public Shadow {
        if (target == null) {
            throw new InvalidInputException("shadow has no model");
        }
        if (!(share >= 0 && share <= 1)) {
            throw new InvalidInputException("shadow share was " + share + " but it must be between 0 and 1");
        }
    }
}
