/**
 * Monitoring: how Ferry notices that a model has started to fail silently. Profiles of datasets
 * (small, mergeable sketches), drift and training/serving skew against a model version's baseline,
 * accuracy once outcomes arrive, alert rules over all of these, and self-contained reports.
 */
package dev.ferry.monitoring;
