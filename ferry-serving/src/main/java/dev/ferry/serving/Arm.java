package dev.ferry.serving;

import dev.ferry.InvalidInputException;

/**
 * One route of a deployment: a model and its share of the traffic. Shares are relative weights;
 * a canary of 5% is two arms weighted 95 and 5.
 */
public record Arm(String name, ModelRef target, double weight) {

    public Arm {
        if (name == null || !name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new InvalidInputException("arm name was '" + name + "' but it must be letters, digits, '_', '.' or '-'");
        }
        if (target == null) {
            throw new InvalidInputException("arm '" + name + "' has no model");
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new InvalidInputException("arm '" + name + "' weight was " + weight + " but it must be zero or more");
        }
    }
}
