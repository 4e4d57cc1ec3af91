package dev.ferry.model;

import java.time.Duration;

/**
 * What loading a model cost.
 *
 * @param loadTime      wall time from reading the artifact to a usable model
 * @param artifactBytes size of the artifact on disk
 * @param memoryBytes   estimated memory held by the loaded model (native memory included, where
 *                      the runtime reports it; otherwise the artifact size as a lower bound)
 */
public record LoadInfo(Duration loadTime, long artifactBytes, long memoryBytes) {
}
