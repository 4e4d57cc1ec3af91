package dev.ferry.monitoring.drift;

import dev.ferry.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ways Ferry compares one feature's current values with its baseline. Tests with a p-value
 * call a feature drifted when the p-value is below the threshold; distances when the distance is
 * at or above it. Names and default thresholds are Evidently's, so a threshold tuned there means
 * the same here.
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov-Smirnov test (numeric); statistic is the p-value. */
    KS("ks", true, 0.05),
    /** Chi-square goodness of fit of current counts against baseline shares (categorical); p-value. */
    CHI_SQUARE("chisquare", true, 0.05),
    /** Two-proportion Z-test (binary categorical); p-value. */
    Z_TEST("z", true, 0.05),
    /** Population Stability Index over Sturges bins (numeric) or values (categorical). */
    PSI("psi", false, 0.1),
    /** Jensen-Shannon distance, base 2, over the same bins or values. */
    JENSEN_SHANNON("jensenshannon", false, 0.1),
    /** First Wasserstein distance divided by the baseline's standard deviation (numeric). */
    WASSERSTEIN("wasserstein", false, 0.1);

    private final String id;
    private final boolean pValue;
    private final double defaultThreshold;

    DriftMethod(String id, boolean pValue, double defaultThreshold) {
        this.id = id;
        this.pValue = pValue;
        this.defaultThreshold = defaultThreshold;
    }

    /** The name used in files and on the command line ({@code ks}, {@code psi}, ...). */
    public String id() {
        return id;
    }

    /** True when the statistic is a p-value (drifted below the threshold). */
    public boolean isPValue() {
        return pValue;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether {@code statistic} means drift at {@code threshold}. */
    public boolean drifted(double statistic, double threshold) {
        return pValue ? statistic < threshold : statistic >= threshold;
    }

    public static DriftMethod parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
            for (DriftMethod m : values()) {
                if (m.id.equals(t) || m.name().replace("_", "").toLowerCase(Locale.ROOT).equals(t)) {
                    return m;
                }
            }
        }
        throw new InvalidInputException("drift method was '" + text + "' but it must be one of "
                + Arrays.stream(values()).map(DriftMethod::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
