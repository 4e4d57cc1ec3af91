/**
 * Self-contained HTML monitoring reports: a reference dataset (or a stored baseline profile) and an
 * analysis dataset split into time windows, compared feature by feature with the drift, skew and
 * accuracy code of the other monitoring packages. {@link dev.ferry.monitoring.report.ReportBuilder}
 * computes the {@link dev.ferry.monitoring.report.MonitoringReport} (the numbers, testable on their
 * own); {@link dev.ferry.monitoring.report.HtmlReport} draws it as one HTML file with inline SVG.
 */
package dev.ferry.monitoring.report;
