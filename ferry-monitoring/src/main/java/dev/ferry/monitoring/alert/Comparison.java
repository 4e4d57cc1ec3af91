package dev.ferry.monitoring.alert;

import java.util.Arrays;
import java.util.Optional;

/** How a rule compares a score with its threshold. A NaN score never satisfies a comparison. */
public enum Comparison {
    ABOVE(">"),
    AT_OR_ABOVE(">="),
    BELOW("<"),
    AT_OR_BELOW("<="),
    EQUAL("=="),
    NOT_EQUAL("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean holds(double value, double threshold) {
        if (Double.isNaN(value)) {
            return false;
        }
        return switch (this) {
            case ABOVE -> value > threshold;
            case AT_OR_ABOVE -> value >= threshold;
            case BELOW -> value < threshold;
            case AT_OR_BELOW -> value <= threshold;
            case EQUAL -> value == threshold;
            case NOT_EQUAL -> value != threshold;
        };
    }

    /** The comparison written as {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ==} or {@code !=}. */
    public static Optional<Comparison> ofSymbol(String s) {
        return Arrays.stream(values()).filter(c -> c.symbol.equals(s == null ? null : s.trim())).findFirst();
    }
}
