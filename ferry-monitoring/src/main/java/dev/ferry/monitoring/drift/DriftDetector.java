package dev.ferry.monitoring.drift;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.FeatureKind;
import dev.ferry.monitoring.profile.FeatureProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares a current window with a baseline, feature by feature, and says which features and
 * whether the dataset drifted. Without configuration it chooses a method per feature as
 * Evidently's data drift preset does: with at most 1,000 baseline values, Kolmogorov-Smirnov for
 * numbers (chi-square, or a Z-test for two values, when there are at most 5 distinct values) and
 * chi-square or Z-test for categories, each at p &lt; 0.05; with more, normalized Wasserstein for
 * numbers and Jensen-Shannon for categories (and numbers with at most 5 values), each at
 * &ge; 0.1. The dataset drifted when at least half the features did. Every choice can be
 * overridden per feature. Thread-safe and immutable.
 */
public final class DriftDetector {

    /** Baseline sizes above this use distances instead of tests (Evidently's rule). */
    public static final long SMALL_SAMPLE_MAX = 1000;
    /** Numeric features with at most this many distinct values are treated as categories. */
    public static final long FEW_VALUES_MAX = 5;

    private final Map<String, DriftMethod> methods;
    private final Map<String, Double> thresholds;
    private final DriftMethod defaultMethod;
    private final double datasetShare;
    private final String predictionColumn;

    private DriftDetector(Builder b) {
        this.methods = Map.copyOf(b.methods);
        this.thresholds = Map.copyOf(b.thresholds);
        this.defaultMethod = b.defaultMethod;
        this.datasetShare = b.datasetShare;
        this.predictionColumn = b.predictionColumn;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Evidently's defaults, no prediction column. */
    public static DriftDetector defaults() {
        return builder().build();
    }

    /** Compares two profiles (sketch-based: see {@link FeatureProfile} for the approximations). */
    public DriftReport compare(DatasetProfile baseline, DatasetProfile current) {
        Map<String, Distribution> ref = new LinkedHashMap<>();
        Map<String, Distribution> cur = new LinkedHashMap<>();
        for (FeatureProfile f : baseline.features()) {
            if (f.kind() != FeatureKind.VECTOR) {
                ref.put(f.name(), new ProfileDistribution(f));
            }
        }
        for (FeatureProfile f : current.features()) {
            if (f.kind() != FeatureKind.VECTOR) {
                cur.put(f.name(), new ProfileDistribution(f));
            }
        }
        return report(ref, cur, true);
    }

    /** Compares raw values with the exact tests. */
    public DriftReport compare(Samples baseline, Samples current) {
        return report(baseline.columns(), current.columns(), false);
    }

    /** Compares one feature's profiles. */
    public FeatureDrift compareFeature(FeatureProfile baseline, FeatureProfile current) {
        return judge(baseline.name(), new ProfileDistribution(baseline), new ProfileDistribution(current), true);
    }

    private DriftReport report(Map<String, Distribution> ref, Map<String, Distribution> cur, boolean approximate) {
        List<FeatureDrift> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        FeatureDrift prediction = null;
        for (Map.Entry<String, Distribution> e : ref.entrySet()) {
            String name = e.getKey();
            Distribution c = cur.get(name);
            if (c == null || c.count() == 0 || e.getValue().count() == 0 || c.kind() != e.getValue().kind()) {
                skipped.add(name);
                continue;
            }
            FeatureDrift d = judge(name, e.getValue(), c, approximate);
            if (name.equals(predictionColumn)) {
                prediction = d;
            } else {
                out.add(d);
            }
        }
        cur.keySet().stream().filter(n -> !ref.containsKey(n)).forEach(skipped::add);
        long drifted = out.stream().filter(FeatureDrift::drifted).count();
        double share = out.isEmpty() ? 0.0 : (double) drifted / out.size();
        return new DriftReport(out, Optional.ofNullable(prediction), share, datasetShare,
                !out.isEmpty() && share >= datasetShare, skipped);
    }

    private FeatureDrift judge(String name, Distribution ref, Distribution cur, boolean approximate) {
        DriftMethod m = methods.getOrDefault(name, defaultMethod != null ? defaultMethod : defaultMethod(ref, cur));
        if ((m == DriftMethod.KS || m == DriftMethod.WASSERSTEIN) && ref.kind() != FeatureKind.NUMERIC) {
            throw new InvalidInputException("drift method for feature '" + name + "' was " + m
                    + " but the feature is categorical; use chisquare, z, psi or jensenshannon");
        }
        if ((m == DriftMethod.CHI_SQUARE || m == DriftMethod.Z_TEST) && (ref.counts().isEmpty() || cur.counts().isEmpty())) {
            throw new InvalidInputException("drift method for feature '" + name + "' was " + m
                    + " but the feature has too many distinct numeric values to count; use ks, wasserstein, psi or jensenshannon");
        }
        double threshold = thresholds.getOrDefault(name, m.defaultThreshold());
        double stat = switch (m) {
            case KS -> DriftStatistics.ks(ref, cur).pValue();
            case CHI_SQUARE -> DriftStatistics.chiSquare(ref.counts().get(), cur.counts().get()).pValue();
            case Z_TEST -> DriftStatistics.zTest(ref.counts().get(), cur.counts().get()).pValue();
            case PSI -> {
                double[][] b = DriftStatistics.binned(ref, cur);
                yield DriftStatistics.psi(b[0], b[1]);
            }
            case JENSEN_SHANNON -> {
                double[][] b = DriftStatistics.binned(ref, cur);
                yield DriftStatistics.jensenShannon(b[0], b[1]);
            }
            case WASSERSTEIN -> DriftStatistics.wasserstein(ref, cur) / Math.max(ref.std(), 0.001);
        };
        return new FeatureDrift(name, m, stat, threshold, m.drifted(stat, threshold), ref.count(), cur.count(), approximate);
    }

    /** Evidently's choice (its {@code _get_default_stattest}). */
    static DriftMethod defaultMethod(Distribution ref, Distribution cur) {
        long distinct = unionDistinct(ref, cur);
        boolean few = ref.kind() == FeatureKind.CATEGORICAL
                || (distinct <= FEW_VALUES_MAX && ref.counts().isPresent() && cur.counts().isPresent());
        if (ref.count() <= SMALL_SAMPLE_MAX) {
            if (few) {
                return distinct > 2 ? DriftMethod.CHI_SQUARE : DriftMethod.Z_TEST;
            }
            return DriftMethod.KS;
        }
        return few ? DriftMethod.JENSEN_SHANNON : DriftMethod.WASSERSTEIN;
    }

    private static long unionDistinct(Distribution a, Distribution b) {
        if (a.counts().isPresent() && b.counts().isPresent()) {
            Map<String, Long> m = new HashMap<>(a.counts().get());
            b.counts().get().forEach((k, v) -> m.merge(k, v, Long::sum));
            return m.size();
        }
        return Math.max(a.distinct(), b.distinct());
    }

    /** Options; each may be set once. */
    public static final class Builder {
        private final Map<String, DriftMethod> methods = new HashMap<>();
        private final Map<String, Double> thresholds = new HashMap<>();
        private DriftMethod defaultMethod;
        private double datasetShare = 0.5;
        private boolean shareSet;
        private String predictionColumn;

        /** Uses {@code method} for {@code feature} instead of the default choice. */
        public Builder method(String feature, DriftMethod method) {
            if (methods.put(feature, method) != null) {
                throw new IllegalStateException("drift method of feature '" + feature + "' was already set");
            }
            return this;
        }

        /** Uses {@code threshold} for {@code feature} instead of its method's default. */
        public Builder threshold(String feature, double threshold) {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new InvalidInputException("drift threshold of feature '" + feature + "' was " + threshold + " but it must be a positive number");
            }
            if (thresholds.put(feature, threshold) != null) {
                throw new IllegalStateException("drift threshold of feature '" + feature + "' was already set");
            }
            return this;
        }

        /** Uses {@code method} for every feature without its own. */
        public Builder defaultMethod(DriftMethod method) {
            if (defaultMethod != null) {
                throw new IllegalStateException("default drift method was already set to " + defaultMethod);
            }
            this.defaultMethod = method;
            return this;
        }

        /** The share of drifted features at or above which the dataset drifted (default 0.5). */
        public Builder datasetShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new InvalidInputException("dataset drift share was " + share + " but it must be in (0, 1]");
            }
            if (shareSet) {
                throw new IllegalStateException("dataset drift share was already set to " + datasetShare);
            }
            shareSet = true;
            this.datasetShare = share;
            return this;
        }

        /** The model output column: judged as prediction drift, not counted among the features. */
        public Builder predictionColumn(String name) {
            if (predictionColumn != null) {
                throw new IllegalStateException("prediction column was already set to " + predictionColumn);
            }
            this.predictionColumn = name;
            return this;
        }

        public DriftDetector build() {
            return new DriftDetector(this);
        }
    }
}
