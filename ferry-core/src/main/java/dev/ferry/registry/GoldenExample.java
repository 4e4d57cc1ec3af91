package dev.ferry.registry;

import java.util.Map;

/**
 * One input with the output the model must give for it. A version's golden examples are run
 * when it is registered and again each time it is loaded; a version that fails them never serves.
 *
 * @param inputs    feature name to value (JSON-like: numbers, strings, booleans, lists)
 * @param expected  output name to expected value: a number, or a list of numbers for a vector
 *                  output (e.g. class probabilities)
 * @param tolerance allowed difference: |actual - expected| <= tolerance * max(1, |expected|)
 */
public record GoldenExample(Map<String, Object> inputs, Map<String, Object> expected, double tolerance) {

    public static final double DEFAULT_TOLERANCE = 1e-6;

    public GoldenExample {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        expected = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(expected));
        if (!(tolerance >= 0)) {
            throw new dev.ferry.InvalidInputException("golden example tolerance was " + tolerance + " but it must be zero or more");
        }
    }
}
