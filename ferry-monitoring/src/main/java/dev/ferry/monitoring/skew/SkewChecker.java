package dev.ferry.monitoring.skew;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.drift.DriftDetector;
import dev.ferry.monitoring.drift.FeatureDrift;
import dev.ferry.monitoring.outcome.LoggedPrediction;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.FeatureKind;
import dev.ferry.monitoring.profile.FeatureProfile;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.types.FeatureType;
import dev.ferry.types.ScalarType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares the profile of a model's training data with the profile of what it was served:
 * features missing, extra or of another type, missing rates that differ by more than
 * {@code maxNullRateDifference} (absolute, default 0.05), served values of the wrong type, and
 * distribution differences judged by a {@link DriftDetector}. For value-by-value differences of
 * the same entity at the same time use {@link ServedValueSkew}.
 */
public final class SkewChecker {

    private final DriftDetector drift;
    private final double maxNullRateDifference;

    public SkewChecker(DriftDetector drift, double maxNullRateDifference) {
        if (!(maxNullRateDifference >= 0 && maxNullRateDifference <= 1)) {
            throw new InvalidInputException("maximum null-rate difference was " + maxNullRateDifference + " but it must be in [0, 1]");
        }
        this.drift = drift;
        this.maxNullRateDifference = maxNullRateDifference;
    }

    public static SkewChecker defaults() {
        return new SkewChecker(DriftDetector.defaults(), 0.05);
    }

    public SkewReport compare(DatasetProfile training, DatasetProfile served) {
        List<SchemaIssue> issues = new ArrayList<>();
        List<FeatureSkew> features = new ArrayList<>();
        for (FeatureProfile t : training.features()) {
            Optional<FeatureProfile> s = served.feature(t.name());
            if (s.isEmpty()) {
                issues.add(new SchemaIssue(t.name(), SchemaIssue.Kind.MISSING, t.type().toString(), null));
                continue;
            }
            FeatureProfile sv = s.get();
            boolean comparable = true;
            if (!t.type().equals(sv.type()) && sv.validCount() > 0) {
                boolean sameFamily = family(t.type()) == family(sv.type());
                issues.add(new SchemaIssue(t.name(), sameFamily ? SchemaIssue.Kind.WIDTH_DIFFERS : SchemaIssue.Kind.TYPE_MISMATCH,
                        t.type().toString(), sv.type().toString()));
                comparable = FeatureKind.of(t.type()) == FeatureKind.of(sv.type());
            }
            Optional<FeatureDrift> d = Optional.empty();
            if (comparable && t.validCount() > 0 && sv.validCount() > 0 && t.kind() != FeatureKind.VECTOR) {
                d = Optional.of(drift.compareFeature(t, sv));
            }
            double servedInvalid = sv.count() == 0 ? 0 : (double) sv.invalidCount() / sv.count();
            boolean nullSkew = Math.abs(t.nullRate() - sv.nullRate()) > maxNullRateDifference;
            features.add(new FeatureSkew(t.name(), t.nullRate(), sv.nullRate(), nullSkew, servedInvalid, d));
        }
        for (FeatureProfile s : served.features()) {
            if (training.feature(s.name()).isEmpty()) {
                issues.add(new SchemaIssue(s.name(), SchemaIssue.Kind.EXTRA, null, s.type().toString()));
            }
        }
        return new SkewReport(issues, features);
    }

    private enum Family { BOOL, INTEGER, FLOATING, STRING, VECTOR }

    private static Family family(FeatureType t) {
        if (t.isVector()) {
            return Family.VECTOR;
        }
        ScalarType s = t.scalar();
        if (s.isInteger()) {
            return Family.INTEGER;
        }
        if (s.isFloating()) {
            return Family.FLOATING;
        }
        return s == ScalarType.BOOL ? Family.BOOL : Family.STRING;
    }

    /** The profile of features as they were served, each typed by its first value (see {@link ProfileAccumulator#inferring()}). */
    public static DatasetProfile servedProfile(List<LoggedPrediction> predictions) {
        ProfileAccumulator acc = ProfileAccumulator.inferring();
        for (LoggedPrediction p : predictions) {
            acc.add(p.features());
        }
        return acc.snapshot();
    }
}
