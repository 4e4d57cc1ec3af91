package dev.ferry.monitoring.profile;

import com.tdunning.math.stats.MergingDigest;
import dev.ferry.types.FeatureType;
import dev.ferry.types.ScalarType;
import java.util.List;

/**
 * The mutable state behind one feature's profile. Every method is synchronized on the
 * accumulator, so threads feeding different features never contend.
 */
final class FeatureAccumulator {

    private final String name;
    private final boolean inferred;
    private FeatureType type;
    private long count;
    private long nullCount;
    private long invalidCount;
    private final HyperLogLog distinct = new HyperLogLog();
    private long n;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double m2;
    private MergingDigest digest;
    private FrequentValues frequent;

    /** A feature of known type, or (type null) one whose type is taken from its first value. */
    FeatureAccumulator(String name, FeatureType type) {
        this.name = name;
        this.inferred = type == null;
        this.type = type;
        if (type != null) {
            init();
        }
    }

    private void init() {
        switch (FeatureKind.of(type)) {
            case NUMERIC -> {
                digest = new MergingDigest(FeatureProfile.COMPRESSION);
                frequent = new FrequentValues(FrequentValues.NUMERIC_CAPACITY);
            }
            case CATEGORICAL -> frequent = new FrequentValues(FrequentValues.CATEGORICAL_CAPACITY);
            case VECTOR -> { }
        }
    }

    synchronized void addMissing() {
        count++;
        nullCount++;
    }

    synchronized void add(Object value) {
        count++;
        if (value == null) {
            nullCount++;
            return;
        }
        if (type == null) {
            type = inferType(value);
            init();
        }
        if (type.isVector()) {
            if (!value.getClass().isArray() && !(value instanceof List<?>)) {
                invalidCount++;
            }
            return;
        }
        switch (type.scalar()) {
            case STRING -> {
                if (value instanceof String s) {
                    addCategory(s, HyperLogLog.hash(s));
                } else {
                    invalidCount++;
                }
            }
            case BOOL -> {
                if (value instanceof Boolean b) {
                    String s = b.toString();
                    addCategory(s, HyperLogLog.hash(s));
                } else {
                    invalidCount++;
                }
            }
            default -> addNumber(value);
        }
    }

    private void addNumber(Object value) {
        if (!(value instanceof Number num)) {
            invalidCount++;
            return;
        }
        boolean floating = value instanceof Double || value instanceof Float;
        if (floating && type.scalar().isInteger()) {
            if (!inferred) {
                invalidCount++;
                return;
            }
            type = FeatureType.FLOAT64;
        }
        double d = num.doubleValue();
        if (Double.isNaN(d)) {
            nullCount++;
            return;
        }
        n++;
        double delta = d - mean;
        mean += delta / n;
        m2 += delta * (d - mean);
        if (d < min) {
            min = d;
        }
        if (d > max) {
            max = d;
        }
        digest.add(d);
        distinct.addHash(HyperLogLog.hash(d));
        if (frequent != null && !frequent.addBounded(numberKey(d))) {
            frequent = null;
        }
    }

    private void addCategory(String s, long hash) {
        distinct.addHash(hash);
        frequent.add(s);
    }

    synchronized FeatureProfile snapshot() {
        FeatureType t = type == null ? FeatureType.STRING : type;
        NumericSummary num = null;
        MergingDigest d = null;
        if (FeatureKind.of(t) == FeatureKind.NUMERIC) {
            num = new NumericSummary(n, n == 0 ? Double.NaN : min, n == 0 ? Double.NaN : max, n == 0 ? Double.NaN : mean, m2);
            d = new MergingDigest(FeatureProfile.COMPRESSION);
            if (digest != null && digest.size() > 0) {
                // t-digest 3.3 fails on adding an empty digest
                d.add(List.of(digest));
            }
            d.compress();
        }
        FrequentValues f = frequent == null ? (type == null ? new FrequentValues(FrequentValues.CATEGORICAL_CAPACITY) : null) : frequent.copy();
        return new FeatureProfile(name, t, count, nullCount, invalidCount, distinct.copy(), num, d, f);
    }

    /** The text a number is counted under: integral values without a fraction. */
    static String numberKey(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    static FeatureType inferType(Object value) {
        return switch (value) {
            case Boolean b -> FeatureType.BOOL;
            case String s -> FeatureType.STRING;
            case Double x -> FeatureType.FLOAT64;
            case Float x -> FeatureType.FLOAT32;
            case Number x -> FeatureType.INT64;
            case float[] a -> FeatureType.vector(ScalarType.FLOAT32, Math.max(1, a.length));
            case double[] a -> FeatureType.vector(ScalarType.FLOAT64, Math.max(1, a.length));
            case int[] a -> FeatureType.vector(ScalarType.INT32, Math.max(1, a.length));
            case long[] a -> FeatureType.vector(ScalarType.INT64, Math.max(1, a.length));
            case List<?> l -> FeatureType.vector(ScalarType.FLOAT64, Math.max(1, l.size()));
            default -> FeatureType.STRING;
        };
    }
}
