package dev.ferry.monitoring.outcome;

import dev.ferry.InvalidInputException;
import java.util.List;

/** Reads a model's score out of a logged output (see {@link AccuracyOptions#scoreField()}). */
final class Scores {

    private Scores() {
    }

    static double score(JoinedOutcome j, String field) {
        Object v = j.prediction().output().get(field);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof List<?> l && !l.isEmpty() && l.size() <= 2 && l.getLast() instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidInputException("prediction " + j.prediction().requestId() + " of deployment " + j.prediction().deployment()
                + ": output field '" + field + "' was " + v + " but a number or a list [p0, p1] is expected (outputs: "
                + j.prediction().output().keySet() + ")");
    }
}
