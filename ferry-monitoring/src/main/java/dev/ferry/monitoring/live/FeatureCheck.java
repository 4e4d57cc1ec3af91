package dev.ferry.monitoring.live;

import java.util.Set;

/**
 * What a served feature value must be: within a numeric range, or one of an allowed set. A null
 * value is counted as null, never as out of range; a value of the wrong kind (text for a range) is
 * out of range.
 */
public sealed interface FeatureCheck {

    boolean accepts(Object value);

    /** Numbers from {@code min} to {@code max}, both included. */
    record Range(double min, double max) implements FeatureCheck {

        public Range {
            if (!(min <= max)) {
                throw new dev.ferry.InvalidInputException("range was [" + min + ", " + max + "] but min must not exceed max");
            }
        }

        @Override
        public boolean accepts(Object value) {
            return value instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max;
        }
    }

    /** Values whose text form is in {@code values}. */
    record Allowed(Set<String> values) implements FeatureCheck {

        public Allowed {
            values = Set.copyOf(values);
        }

        @Override
        public boolean accepts(Object value) {
            return values.contains(String.valueOf(value));
        }
    }
}
