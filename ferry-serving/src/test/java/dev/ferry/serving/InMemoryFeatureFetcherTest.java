package dev.ferry.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.testkit.FeatureFetcherContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryFeatureFetcherTest extends FeatureFetcherContract {

    private final PredictionLogTest.ManualClock clock = new PredictionLogTest.ManualClock();
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
        clock.now = clock.now.plus(Duration.ofMinutes(6));

        FetchedFeatures f = fetcher.fetch(new FeatureRequest("d", List.of("x1"), List.of(), List.of(Map.of("user_id", "a"))));

        assertThat(f.rows().get(0).get("x1")).isEqualTo(1.0);
        assertThat(f.degraded()).isTrue();
        assertThat(f.missing()).anyMatch(m -> m.contains("stale"));
    }
}
