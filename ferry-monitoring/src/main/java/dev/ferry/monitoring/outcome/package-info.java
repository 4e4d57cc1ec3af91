/**
 * Outcomes and accuracy: labels that arrive after the prediction (from a file, a PostgreSQL table
 * or a Kafka topic) are joined to the prediction log by request id or by entity and time, stored
 * durably in the data directory, and turned into accuracy over time, calibration, per-segment
 * metrics and comparisons between arms.
 */
package dev.ferry.monitoring.outcome;
