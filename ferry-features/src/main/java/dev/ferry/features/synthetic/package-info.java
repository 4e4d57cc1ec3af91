/** Seeded synthetic feature data for benchmarks and load tests. */
package dev.ferry.features.synthetic;
