/**
 * Dataset profiles: per feature its Ferry type, counts of values, nulls and wrongly typed values,
 * a distinct-count sketch, numeric moments with a t-digest of quantiles, and frequent values.
 * Profiles are small, mergeable ({@code profile(A).merge(profile(B))} is the profile of A and B
 * within the sketches' error) and stored as versioned JSON. {@link dev.ferry.monitoring.profile.ProfileAccumulator}
 * builds them from a live stream, {@link dev.ferry.monitoring.profile.FileProfiler} from Parquet
 * and CSV files.
 */
package dev.ferry.monitoring.profile;
