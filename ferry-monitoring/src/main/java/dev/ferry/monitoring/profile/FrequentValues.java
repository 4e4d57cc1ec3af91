package dev.ferry.monitoring.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of the most frequent values: a Misra-Gries summary with mergeable reduction (Agarwal et
 * al., "Mergeable summaries", 2012). Each kept count is a lower bound that is at most
 * {@link #maxError()} below the true count; while no reduction has happened the counts are exact.
 * For a numeric feature the summary is given up (not kept) once more than its capacity of values
 * is seen, since a continuous value's counts say nothing and updating them would cost.
 */
final class FrequentValues {

    /** How many values a string or boolean feature keeps. */
    static final int CATEGORICAL_CAPACITY = 256;
    /** How many distinct values a numeric feature may have and still get counts. */
    static final int NUMERIC_CAPACITY = 32;

    private final int capacity;
    private final Map<String, Long> counts;
    private long maxError;

    FrequentValues(int capacity) {
        this(capacity, new HashMap<>(), 0);
    }

    FrequentValues(int capacity, Map<String, Long> counts, long maxError) {
        this.capacity = capacity;
        this.counts = new HashMap<>(counts);
        this.maxError = maxError;
    }

    int capacity() {
        return capacity;
    }

    long maxError() {
        return maxError;
    }

    boolean exact() {
        return maxError == 0;
    }

    /** Adds one occurrence; returns false when a bounded summary overflowed (numeric features). */
    boolean addBounded(String value) {
        Long c = counts.get(value);
        if (c != null) {
            counts.put(value, c + 1);
            return true;
        }
        if (counts.size() >= capacity) {
            return false;
        }
        counts.put(value, 1L);
        return true;
    }

    void add(String value) {
        counts.merge(value, 1L, Long::sum);
        if (counts.size() > 2 * capacity) {
            reduce();
        }
    }

    void merge(FrequentValues other) {
        other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        maxError += other.maxError;
        reduce();
    }

    FrequentValues copy() {
        FrequentValues f = new FrequentValues(capacity, counts, maxError);
        f.reduce();
        return f;
    }

    /** Keeps the {@code capacity} largest counts, subtracting the next largest from every count. */
    private void reduce() {
        if (counts.size() <= capacity) {
            return;
        }
        List<Long> values = new ArrayList<>(counts.values());
        values.sort(Collections.reverseOrder());
        long cut = values.get(capacity);
        counts.replaceAll((k, v) -> v - cut);
        counts.values().removeIf(v -> v <= 0);
        maxError += cut;
    }

    /** The kept counts, largest first (ties by value, so the order is stable). */
    Map<String, Long> sorted() {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : entries) {
            out.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }
}
