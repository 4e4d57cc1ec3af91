package dev.ferry.monitoring.watch;

import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.profile.DatasetProfile;

/**
 * Where the monitor finds a model version's baseline profile. {@link BaselineStore#load} is the
 * usual one; it throws {@link dev.ferry.NotFoundException} when a version has none, which the
 * monitor reports as "no baseline" rather than as a failure.
 */
@FunctionalInterface
public interface BaselineSource {

    DatasetProfile load(String model, int version);

    /** The baselines stored under {@code dataDir/monitoring/baselines}. */
    static BaselineSource of(BaselineStore store) {
        return store::load;
    }
}
