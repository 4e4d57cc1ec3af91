/**
 * Live monitoring of served deployments: a prediction log sink that profiles served features and
 * predictions per deployment, model version, arm and time window, judges each closed window
 * against the model version's baseline (drift, prediction drift, drifted share), flags served
 * types that differ from the baseline at once (skew), and publishes every number as a score, so
 * as a Prometheus gauge and to alert rules.
 */
package dev.ferry.monitoring.watch;
