package dev.ferry.online;

/** What the online store knows about one feature of one entity at read time. */
public enum FeatureStatus {
    /** A value was stored and is within the read's max age. */
    PRESENT,
    /** The feature was written as null (known missing) and is within the read's max age. */
    NULL_VALUE,
    /** Nothing was ever written for this entity and feature in this view (or the view was dropped). */
    NOT_FOUND,
    /** A value exists but its event time is older than the read's max age; the value is withheld. */
    OUTSIDE_MAX_AGE
}
