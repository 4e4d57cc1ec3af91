package dev.ferry.xgboost;

import dev.ferry.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options {@link XGBoostModelRuntime} accepts in a load request.
 *
 * @param outputMargin {@code output_margin}: return untransformed margins instead of probabilities or predictions
 * @param threads      {@code threads}: XGBoost's {@code nthread} for this model. Default 1: a server runs many
 *                     requests at once, and OpenMP threads per request only contend with each other (and spin)
 *                     on a busy machine; {@code 0} leaves XGBoost's own default (all cores), for large batches
 */
record LoadOptions(boolean outputMargin, OptionalInt threads) {

    static final String OUTPUT_MARGIN = "output_margin";
    static final String THREADS = "threads";
    private static final Set<String> KNOWN = Set.of(OUTPUT_MARGIN, THREADS);

    /** Parses the options, reporting every bad key or value at once. */
    static LoadOptions parse(Map<String, String> options) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(options.keySet())) {
            if (!KNOWN.contains(key)) {
                problems.add("option '" + key + "' is unknown; the XGBoost runtime accepts " + new TreeSet<>(KNOWN));
            }
        }
        boolean margin = false;
        String m = options.get(OUTPUT_MARGIN);
        if (m != null) {
            switch (m.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> margin = true;
                case "false" -> margin = false;
                default -> problems.add("option '" + OUTPUT_MARGIN + "' was '" + m + "' but it must be true or false");
            }
        }
        OptionalInt threads = OptionalInt.of(1);
        String t = options.get(THREADS);
        if (t != null) {
            try {
                int n = Integer.parseInt(t.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                threads = n == 0 ? OptionalInt.empty() : OptionalInt.of(n);
            } catch (NumberFormatException e) {
                problems.add("option '" + THREADS + "' was '" + t + "' but it must be 0 (all cores) or a positive integer");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
        return new LoadOptions(margin, threads);
    }
}
