/**
 * Alerts over named scores: every monitoring number (accuracy, drift, skew, live data quality) is
 * a {@link dev.ferry.monitoring.alert.ScoreKey} on a {@link dev.ferry.monitoring.alert.ScoreBoard},
 * exported as a Micrometer gauge, and judged by YAML rules that fire after a condition held for a
 * while, to the log and to webhooks, once per episode.
 */
package dev.ferry.monitoring.alert;
