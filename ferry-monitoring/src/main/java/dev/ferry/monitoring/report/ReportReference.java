package dev.ferry.monitoring.report;

import dev.ferry.monitoring.profile.DatasetProfile;

/**
 * What the analysis data is compared with: the reference data itself (exact tests on raw values,
 * exact histograms) or a stored baseline profile (tests and histograms from its sketches, see
 * {@link dev.ferry.monitoring.profile.FeatureProfile} for the approximations).
 */
public sealed interface ReportReference {

    /** Reference rows read from a file. */
    record Data(ReportData data) implements ReportReference {
    }

    /** A stored profile, described for the report (a path, or a model and version). */
    record Profile(DatasetProfile profile, String description) implements ReportReference {
    }

    static ReportReference of(ReportData data) {
        return new Data(data);
    }

    static ReportReference of(DatasetProfile profile, String description) {
        return new Profile(profile, description);
    }

    /** In words, for the report's heading. */
    default String describe() {
        return switch (this) {
            case Data d -> d.data().source().getFileName() + " (" + d.data().rowCount() + " rows)";
            case Profile p -> p.description() + " (profile of " + p.profile().rowCount() + " rows)";
        };
    }
}
