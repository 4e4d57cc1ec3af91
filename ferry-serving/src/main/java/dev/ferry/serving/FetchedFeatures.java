package dev.ferry.serving;

import dev.ferry.types.Row;
import java.util.List;

/**
 * The answer of a {@link FeatureFetcher}.
 *
 * @param rows     one row per requested entity, same order; a missing value is null or absent
 * @param degraded true when any value was missing or older than the store's freshness bound
 * @param missing  human-readable notes on what was missing or stale (for logs), may be empty
 */
public record FetchedFeatures(List<Row> rows, boolean degraded, List<String> missing) {

    public FetchedFeatures {
        rows = List.copyOf(rows);
        missing = List.copyOf(missing);
    }
}
