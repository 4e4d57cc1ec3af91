package dev.ferry.monitoring.profile;

import com.tdunning.math.stats.MergingDigest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The profile of a dataset: how many rows, and one {@link FeatureProfile} per feature in the
 * order first seen. Built by {@link ProfileAccumulator}, {@link Profiles} or {@link FileProfiler};
 * stored with {@link ProfileJson}. Immutable; {@link #merge} profiles the union of two datasets.
 */
public final class DatasetProfile {

    private final long rowCount;
    private final Map<String, FeatureProfile> features;

    public DatasetProfile(long rowCount, List<FeatureProfile> features) {
        this.rowCount = rowCount;
        Map<String, FeatureProfile> m = new LinkedHashMap<>();
        for (FeatureProfile f : features) {
            if (m.put(f.name(), f) != null) {
                throw new IllegalArgumentException("feature '" + f.name() + "' appears twice in a profile");
            }
        }
        this.features = Collections.unmodifiableMap(m);
    }

    public long rowCount() {
        return rowCount;
    }

    public List<FeatureProfile> features() {
        return List.copyOf(features.values());
    }

    public List<String> names() {
        return List.copyOf(features.keySet());
    }

    public Optional<FeatureProfile> feature(String name) {
        return Optional.ofNullable(features.get(name));
    }

    /**
     * The profile of both datasets together. A feature only one side has keeps its profile, with
     * the other side's rows counted as missing values.
     */
    public DatasetProfile merge(DatasetProfile other) {
        List<FeatureProfile> merged = new ArrayList<>();
        for (FeatureProfile f : features.values()) {
            FeatureProfile o = other.features.get(f.name());
            merged.add(o == null ? withMissing(f, other.rowCount) : f.merge(o));
        }
        for (FeatureProfile o : other.features.values()) {
            if (!features.containsKey(o.name())) {
                merged.add(withMissing(o, rowCount));
            }
        }
        return new DatasetProfile(rowCount + other.rowCount, merged);
    }

    private static FeatureProfile withMissing(FeatureProfile f, long missing) {
        return new FeatureProfile(f.name(), f.type(), f.count() + missing, f.nullCount() + missing, f.invalidCount(),
                f.distinctSketch().copy(), f.numeric().orElse(null), digestCopy(f), f.frequentSketch() == null ? null : f.frequentSketch().copy());
    }

    private static MergingDigest digestCopy(FeatureProfile f) {
        byte[] b = f.digestBytes();
        return b == null ? null : MergingDigest.fromBytes(ByteBuffer.wrap(b));
    }

    @Override
    public String toString() {
        return "DatasetProfile[rows=" + rowCount + ", features=" + features.keySet() + "]";
    }
}
