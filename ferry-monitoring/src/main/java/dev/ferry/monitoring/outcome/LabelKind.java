package dev.ferry.monitoring.outcome;

/** What an outcome's label is: a binary class (0/1, true/false) for classifiers, or a number for regressors. */
public enum LabelKind {
    BINARY,
    NUMERIC
}
