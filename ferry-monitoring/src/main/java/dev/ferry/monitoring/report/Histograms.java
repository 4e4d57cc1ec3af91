package dev.ferry.monitoring.report;

import dev.ferry.monitoring.profile.FeatureProfile;
import dev.ferry.monitoring.profile.NumericSummary;
import dev.ferry.monitoring.report.MonitoringReport.Histogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The distributions a report draws: shares per equal-width bin over both sides' range (numbers)
 * or per value, the most common first and the rest as "(other)" (categories). The reference side
 * comes from raw values when the report has them, else from the profile's t-digest or value counts.
 */
final class Histograms {

    static final int BINS = 20;
    static final int CATEGORIES = 12;
    static final String OTHER = "(other)";

    private Histograms() {
    }

    static Histogram numeric(List<Object> refValues, Optional<FeatureProfile> refProfile, List<Object> values) {
        double[] cur = numbers(values);
        double[] ref = refValues == null ? null : numbers(refValues);
        double lo = cur.length == 0 ? Double.POSITIVE_INFINITY : cur[0];
        double hi = cur.length == 0 ? Double.NEGATIVE_INFINITY : cur[cur.length - 1];
        if (ref != null && ref.length > 0) {
            lo = Math.min(lo, ref[0]);
            hi = Math.max(hi, ref[ref.length - 1]);
        } else if (ref == null && refProfile.flatMap(FeatureProfile::numeric).filter(s -> s.count() > 0).isPresent()) {
            NumericSummary s = refProfile.get().numeric().get();
            lo = Math.min(lo, s.min());
            hi = Math.max(hi, s.max());
        }
        if (Double.isInfinite(lo)) {
            return new Histogram(List.of(), List.of(), List.of(), List.of());
        }
        if (hi <= lo) {
            lo -= 0.5;
            hi += 0.5;
        }
        List<Double> edges = new ArrayList<>();
        for (int i = 0; i <= BINS; i++) {
            edges.add(i == BINS ? hi : lo + (hi - lo) * i / BINS);
        }
        List<Double> refShares;
        if (ref != null) {
            refShares = shares(ref, edges);
        } else if (refProfile.flatMap(FeatureProfile::numeric).filter(s -> s.count() > 0).isPresent()) {
            refShares = sketchShares(refProfile.get(), edges);
        } else {
            refShares = java.util.Collections.nCopies(BINS, 0.0);
        }
        return new Histogram(edges, List.of(), refShares, shares(cur, edges));
    }

    static Histogram categorical(List<Object> refValues, Optional<FeatureProfile> refProfile, List<Object> values) {
        Map<String, Long> cur = counts(values);
        Map<String, Long> ref = refValues != null ? counts(refValues) : refProfile.map(p -> new TreeMap<>(p.frequentValues())).orElse(new TreeMap<>());
        double nCur = Math.max(1, cur.values().stream().mapToLong(Long::longValue).sum());
        double nRef = Math.max(1, refValues != null || refProfile.isEmpty() ? ref.values().stream().mapToLong(Long::longValue).sum()
                : refProfile.get().validCount());
        TreeMap<String, Double> combined = new TreeMap<>();
        cur.forEach((k, v) -> combined.merge(k, v / nCur, Double::sum));
        ref.forEach((k, v) -> combined.merge(k, v / nRef, Double::sum));
        List<String> top = combined.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(CATEGORIES).map(Map.Entry::getKey).toList();
        List<String> labels = new ArrayList<>(top);
        List<Double> r = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        for (String k : top) {
            r.add(ref.getOrDefault(k, 0L) / nRef);
            c.add(cur.getOrDefault(k, 0L) / nCur);
        }
        double restR = 1 - r.stream().mapToDouble(Double::doubleValue).sum();
        double restC = 1 - c.stream().mapToDouble(Double::doubleValue).sum();
        if (combined.size() > top.size()) {
            labels.add(OTHER);
            r.add(Math.max(0, restR));
            c.add(Math.max(0, restC));
        }
        return new Histogram(List.of(), labels, r, c);
    }

    private static double[] numbers(List<Object> values) {
        return values.stream().filter(v -> v instanceof Number).mapToDouble(v -> ((Number) v).doubleValue())
                .filter(d -> !Double.isNaN(d)).sorted().toArray();
    }

    private static Map<String, Long> counts(List<Object> values) {
        Map<String, Long> m = new TreeMap<>();
        for (Object v : values) {
            if (v != null) {
                m.merge(v.toString(), 1L, Long::sum);
            }
        }
        return m;
    }

    /** Shares per bin [e_i, e_i+1), the last bin closed. */
    private static List<Double> shares(double[] sorted, List<Double> edges) {
        List<Double> out = new ArrayList<>();
        int bins = edges.size() - 1;
        int prev = 0;
        for (int i = 0; i < bins; i++) {
            int upTo = i == bins - 1 ? sorted.length : lowerBound(sorted, edges.get(i + 1));
            out.add(sorted.length == 0 ? 0.0 : (double) (upTo - prev) / sorted.length);
            prev = upTo;
        }
        return out;
    }

    private static List<Double> sketchShares(FeatureProfile p, List<Double> edges) {
        List<Double> out = new ArrayList<>();
        double prev = 0;
        int bins = edges.size() - 1;
        for (int i = 0; i < bins; i++) {
            double upTo = i == bins - 1 ? 1.0 : p.cdf(edges.get(i + 1));
            out.add(Math.max(0, upTo - prev));
            prev = Math.max(prev, upTo);
        }
        return out;
    }

    private static int lowerBound(double[] sorted, double x) {
        int i = Arrays.binarySearch(sorted, x);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == x) {
            i--;
        }
        return i;
    }
}
