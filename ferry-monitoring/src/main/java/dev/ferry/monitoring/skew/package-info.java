/**
 * Training/serving skew: {@link dev.ferry.monitoring.skew.SkewChecker} compares a training
 * profile with a served one (schema, types, missing rates, distributions);
 * {@link dev.ferry.monitoring.skew.ServedValueSkew} compares logged served values with the
 * offline store's values for the same entity and time.
 */
package dev.ferry.monitoring.skew;
