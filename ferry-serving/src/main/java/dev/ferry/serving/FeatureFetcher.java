package dev.ferry.serving;

/**
 * Where the serving engine gets the stored features of the entities in a request. The online
 * feature store backs it in production; {@link InMemoryFeatureFetcher} serves tests and
 * embedded use. Implementations are thread-safe and should answer within the request budget;
 * a thrown exception degrades the answer instead of failing it.
 */
public interface FeatureFetcher {

    /**
     * Returns one row per entity of {@code request}, in the same order, with a value (or null
     * when missing) for each requested feature, and whether any value was missing or stale.
     */
    FetchedFeatures fetch(FeatureRequest request);
}
