/**
 * Live monitoring of served predictions. The serving engine already hands every served
 * prediction (request id, deployment, arm, version, the features as given to the model, the
 * output) to its prediction log sinks from a bounded queue on a background thread, dropping and
 * counting ({@code ferry.serving.log.dropped}) rather than ever blocking a request; the monitors
 * here are such sinks, added beside the log with {@code PredictionLogSink.all}.
 */
package dev.ferry.monitoring.live;
