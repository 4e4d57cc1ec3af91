package dev.ferry.monitoring.skew;

/**
 * A difference in shape between training and serving: a feature served but never trained on,
 * trained on but never served, or served with another type.
 */
public record SchemaIssue(String feature, Kind kind, String trained, String served) {

    /** What is wrong. */
    public enum Kind {
        /** Trained on, absent from what was served. */
        MISSING,
        /** Served, never trained on. */
        EXTRA,
        /** Served as another kind of value (a float for an int64, a string for a number). */
        TYPE_MISMATCH,
        /** Same kind of value, another width (int32 against int64): worth knowing, rarely harmful. */
        WIDTH_DIFFERS
    }

    public String message() {
        return switch (kind) {
            case MISSING -> "feature '" + feature + "' was trained as " + trained + " but is not served";
            case EXTRA -> "feature '" + feature + "' is served as " + served + " but was not in training";
            case TYPE_MISMATCH -> "feature '" + feature + "' is served as " + served + " but was trained as " + trained;
            case WIDTH_DIFFERS -> "feature '" + feature + "' is served as " + served + " and was trained as " + trained;
        };
    }
}
