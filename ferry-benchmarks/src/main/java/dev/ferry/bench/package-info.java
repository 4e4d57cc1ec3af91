/**
 * JMH benchmarks and load generators. Each benchmark class says in its comment which figure of
 * BENCHMARKS.md it produces and the command that reproduces it.
 */
package dev.ferry.bench;
