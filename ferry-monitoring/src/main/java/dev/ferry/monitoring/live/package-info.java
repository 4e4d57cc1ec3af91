/**
 * Live monitoring of served predictions. The serving engine already hands every served
 * prediction (request id, deployment, arm, version, the features as given to the model, the
 * output) to its prediction log sinks from a bounded queue on a background thread, dropping and
 * counting ({@code ferry.serving.log.dropped}) rather than ever blocking a request; the data
 * quality monitor here is such a sink, added beside the log with {@code PredictionLogSink.all}.
 * Freshness is observed where the fetcher reads the online store, by a store wrapper.
 */
package dev.ferry.monitoring.live;
