package dev.ferry.monitoring.outcome;

/** What kind of model is judged: a binary classifier (score is the positive class's probability) or a regressor. */
public enum Task {
    CLASSIFICATION,
    REGRESSION
}
