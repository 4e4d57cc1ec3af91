package dev.ferry.serving;

import dev.ferry.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.testkit.FeatureFetcherContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryFeatureFetcherTest extends FeatureFetcherContract {

    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    private InMemoryFeatureFetcher fetcher;

    @Override
    protected FeatureFetcher create() {
        fetcher = new InMemoryFeatureFetcher(clock, Duration.ofMinutes(5));
        return fetcher;
    }

    @Override
    protected void store(Map<String, Object> entity, Map<String, Object> values) {
        fetcher.put(entity, values);
    }

    @Test
    void valuesOlderThanTheFreshnessBoundAreServedButFlaggedStale() {
        fetcher.put(Map.of("user_id", "a"), Map.of("x1", 1.0));
        clock.advance(Duration.ofMinutes(6));

        FetchedFeatures f = fetcher.fetch(new FeatureRequest("d", List.of("x1"), List.of(), List.of(Map.of("user_id", "a"))));

        assertThat(f.rows().get(0).get("x1")).isEqualTo(1.0);
        assertThat(f.degraded()).isTrue();
        assertThat(f.missing()).anyMatch(m -> m.contains("stale"));
    }
}
