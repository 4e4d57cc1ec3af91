package dev.ferry.serving;

import dev.ferry.online.NearCacheOnlineStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes a {@link NearCacheOnlineStore}'s counters to Micrometer: function counters
 * {@code ferry.online.nearcache{result=hit|miss}} and a gauge {@code ferry.online.nearcache.size},
 * all tagged {@code cache=<name>}. The meters read the store when scraped; nothing is copied.
 */
public final class NearCacheMetrics {

    private NearCacheMetrics() {
    }

    /** Registers the meters for {@code store} under {@code name} (the meters hold the store weakly). */
    public static void bind(NearCacheOnlineStore store, MeterRegistry registry, String name) {
        FunctionCounter.builder("ferry.online.nearcache", store, NearCacheOnlineStore::hits)
                .description("near cache entity lookups")
                .tags("cache", name, "result", "hit")
                .register(registry);
        FunctionCounter.builder("ferry.online.nearcache", store, NearCacheOnlineStore::misses)
                .description("near cache entity lookups")
                .tags("cache", name, "result", "miss")
                .register(registry);
        Gauge.builder("ferry.online.nearcache.size", store, s -> s.size())
                .description("entities held by the near cache")
                .tags("cache", name)
                .register(registry);
    }
}
