/**
 * Drift: per feature, whether a current window's values differ from a baseline's, by
 * Kolmogorov-Smirnov, chi-square, Z-test, PSI, Jensen-Shannon or normalized Wasserstein, chosen
 * per feature as Evidently does unless configured; the share of drifted features decides dataset
 * drift. Works exactly on raw {@link dev.ferry.monitoring.drift.Samples} and approximately on
 * {@link dev.ferry.monitoring.profile.DatasetProfile}s.
 */
package dev.ferry.monitoring.drift;
