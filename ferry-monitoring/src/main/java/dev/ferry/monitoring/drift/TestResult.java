package dev.ferry.monitoring.drift;

/** A test's statistic and, for tests that have one, its p-value (NaN for distances). */
public record TestResult(double statistic, double pValue) {
}
