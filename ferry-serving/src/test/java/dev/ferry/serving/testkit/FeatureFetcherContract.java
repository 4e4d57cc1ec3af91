package dev.ferry.serving.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.FeatureFetcher;
import dev.ferry.serving.FeatureRequest;
import dev.ferry.serving.FetchedFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FeatureFetcher} must do; an implementation is correct for the serving
 * engine when a subclass of this passes. The online store's fetcher extends it too.
 */
public abstract class FeatureFetcherContract {

    /** A fresh, empty fetcher. */
    protected abstract FeatureFetcher create();

    /** Stores fresh values for an entity so that the fetcher under test can find them. */
    protected abstract void store(Map<String, Object> entity, Map<String, Object> values);

    private FeatureFetcher fetcher;

    @BeforeEach
    void createFetcher() {
        fetcher = create();
    }

    private FetchedFeatures fetch(List<String> features, List<Map<String, Object>> entities) {
        return fetcher.fetch(new FeatureRequest("d", features, List.of(), entities));
    }

    @Test
    void rowsComeBackInTheOrderOfTheEntities() {
        store(Map.of("user_id", "a"), Map.of("x1", 1.0, "x2", 10.0));
        store(Map.of("user_id", "b"), Map.of("x1", 2.0, "x2", 20.0));

        FetchedFeatures f = fetch(List.of("x1", "x2"), List.of(Map.of("user_id", "b"), Map.of("user_id", "a"), Map.of("user_id", "b")));

        assertThat(f.rows()).hasSize(3);
        assertThat(f.rows().get(0).get("x1")).isEqualTo(2.0);
        assertThat(f.rows().get(1).get("x2")).isEqualTo(10.0);
        assertThat(f.rows().get(2).get("x1")).isEqualTo(2.0);
        assertThat(f.degraded()).isFalse();
    }

    @Test
    void anUnknownEntityGivesMissingValuesAndADegradedFlag() {
        store(Map.of("user_id", "a"), Map.of("x1", 1.0));

        FetchedFeatures f = fetch(List.of("x1"), List.of(Map.of("user_id", "a"), Map.of("user_id", "ghost")));

        assertThat(f.rows()).hasSize(2);
        assertThat(f.rows().get(0).get("x1")).isEqualTo(1.0);
        assertThat(f.rows().get(1).get("x1")).isNull();
        assertThat(f.degraded()).isTrue();
    }

    @Test
    void entitiesWithSeveralKeysAreMatchedOnAllOfThem() {
        store(Map.of("user_id", "u", "item_id", "1"), Map.of("x1", 1.0));
        store(Map.of("user_id", "u", "item_id", "2"), Map.of("x1", 2.0));

        FetchedFeatures f = fetch(List.of("x1"), List.of(Map.of("item_id", "2", "user_id", "u"), Map.of("user_id", "u", "item_id", "1")));

        assertThat(f.rows().get(0).get("x1")).isEqualTo(2.0);
        assertThat(f.rows().get(1).get("x1")).isEqualTo(1.0);
    }

    @Test
    void aThousandEntitiesAreServedInOneCall() {
        List<Map<String, Object>> entities = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            store(Map.of("item_id", "i" + i), Map.of("x1", (double) i));
            entities.add(Map.of("item_id", "i" + i));
        }

        FetchedFeatures f = fetch(List.of("x1"), entities);

        assertThat(f.rows()).hasSize(1000);
        assertThat(f.rows().get(999).get("x1")).isEqualTo(999.0);
    }
}
