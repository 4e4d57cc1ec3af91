package dev.ferry.monitoring.profile;

import com.tdunning.math.stats.MergingDigest;
import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The profile of one feature: its Ferry type, how many values were seen, how many were missing
 * or of the wrong type, an estimate of the distinct count, and either numeric moments with a
 * t-digest of the quantiles or the counts of the most frequent values. Immutable and thread-safe;
 * {@link #merge} combines the profiles of two disjoint datasets.
 *
 * <p>Approximations: the distinct count is a HyperLogLog estimate (about 1.6% relative error);
 * quantiles and the CDF come from a t-digest (compression 100: exact at the tails, typically
 * within 0.5% of rank in the middle); frequent counts are exact while {@link #frequentValuesExact()}
 * holds and otherwise lower bounds at most {@link #frequentValuesMaxError()} below the truth.
 */
public final class FeatureProfile {

    static final double COMPRESSION = 100;

    private final String name;
    private final FeatureType type;
    private final long count;
    private final long nullCount;
    private final long invalidCount;
    private final HyperLogLog distinct;
    private final NumericSummary numeric;
    private final MergingDigest digest;
    private final FrequentValues frequent;

    FeatureProfile(String name, FeatureType type, long count, long nullCount, long invalidCount, HyperLogLog distinct,
                   NumericSummary numeric, MergingDigest digest, FrequentValues frequent) {
        this.name = name;
        this.type = type;
        this.count = count;
        this.nullCount = nullCount;
        this.invalidCount = invalidCount;
        this.distinct = distinct;
        this.numeric = numeric;
        this.digest = digest;
        this.frequent = frequent;
    }

    public String name() {
        return name;
    }

    public FeatureType type() {
        return type;
    }

    public FeatureKind kind() {
        return FeatureKind.of(type);
    }

    /** Values seen, missing ones included. */
    public long count() {
        return count;
    }

    /** Missing values: null, absent from the row, or NaN. */
    public long nullCount() {
        return nullCount;
    }

    /** Values that were present but not of the feature's type (a string for a float feature). */
    public long invalidCount() {
        return invalidCount;
    }

    /** Share of missing values, 0 when nothing was seen. */
    public double nullRate() {
        return count == 0 ? 0.0 : (double) nullCount / count;
    }

    /** Values that were present and of the right type. */
    public long validCount() {
        return count - nullCount - invalidCount;
    }

    /** Estimated number of distinct non-missing values (HyperLogLog). */
    public long distinctCount() {
        return distinct.estimate();
    }

    /** Moments of a numeric feature; empty for other kinds. */
    public Optional<NumericSummary> numeric() {
        return Optional.ofNullable(numeric);
    }

    /** The q-quantile (0..1) of a numeric feature's values, from the t-digest. */
    public double quantile(double q) {
        MergingDigest d = requireDigest();
        synchronized (d) {
            return d.quantile(q);
        }
    }

    /** The share of a numeric feature's values at or below {@code x}, from the t-digest. */
    public double cdf(double x) {
        MergingDigest d = requireDigest();
        synchronized (d) {
            return d.cdf(x);
        }
    }

    /** Counts of the most frequent values (strings, booleans, and numbers with few distinct values), largest first. */
    public Map<String, Long> frequentValues() {
        return frequent == null ? Map.of() : frequent.sorted();
    }

    /** True when {@link #frequentValues()} holds every distinct value with its exact count. */
    public boolean frequentValuesExact() {
        return frequent != null && frequent.exact();
    }

    /** The most a kept frequent count can be below the truth; 0 when exact. */
    public long frequentValuesMaxError() {
        return frequent == null ? 0 : frequent.maxError();
    }

    /**
     * The profile of the union of the two datasets these profiles describe. Counts and moments
     * add exactly; sketches merge within their error bounds.
     */
    public FeatureProfile merge(FeatureProfile other) {
        if (!other.name.equals(name)) {
            throw new InvalidInputException("cannot merge the profile of feature '" + other.name + "' into feature '" + name + "'");
        }
        if (!other.type.equals(type)) {
            throw new InvalidInputException("feature '" + name + "' was profiled as " + other.type
                    + " but the profile it merges into has it as " + type);
        }
        HyperLogLog hll = distinct.copy();
        hll.merge(other.distinct);
        NumericSummary num = numeric == null ? other.numeric : other.numeric == null ? numeric : numeric.merge(other.numeric);
        MergingDigest d = null;
        if (digest != null || other.digest != null) {
            d = new MergingDigest(COMPRESSION);
            for (MergingDigest part : new MergingDigest[] {digest, other.digest}) {
                if (part != null && part.size() > 0) {
                    synchronized (part) {
                        d.add(List.of(part));
                    }
                }
            }
            d.compress();
        }
        // A numeric feature keeps value counts only while both sides have them and they stay exact.
        FrequentValues f = null;
        if (frequent != null && other.frequent != null) {
            f = frequent.copy();
            f.merge(other.frequent);
            if (kind() == FeatureKind.NUMERIC && !f.exact()) {
                f = null;
            }
        }
        return new FeatureProfile(name, type, count + other.count, nullCount + other.nullCount,
                invalidCount + other.invalidCount, hll, num, d, f);
    }

    HyperLogLog distinctSketch() {
        return distinct;
    }

    FrequentValues frequentSketch() {
        return frequent;
    }

    byte[] digestBytes() {
        if (digest == null) {
            return null;
        }
        synchronized (digest) {
            digest.compress();
            ByteBuffer buf = ByteBuffer.allocate(digest.byteSize());
            digest.asBytes(buf);
            return buf.array();
        }
    }

    private MergingDigest requireDigest() {
        if (digest == null) {
            throw new IllegalStateException("feature '" + name + "' has no numeric values to take quantiles of");
        }
        return digest;
    }

    @Override
    public String toString() {
        return name + ":" + type + " count=" + count + " nulls=" + nullCount + " distinct~" + distinctCount();
    }
}
