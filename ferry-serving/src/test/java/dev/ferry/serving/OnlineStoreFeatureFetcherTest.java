package dev.ferry.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.online.EntityKey;
import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.online.OnlineRecord;
import dev.ferry.serving.testkit.FeatureFetcherContract;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OnlineStoreFeatureFetcherTest extends FeatureFetcherContract {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<OnlineStoreFeatureFetcher.OnlineView> VIEWS = List.of(
            view("users", List.of("user_id"), List.of("x1", "x2")),
            view("items", List.of("item_id"), List.of("x1")),
            view("pairs", List.of("user_id", "item_id"), List.of("x1")));

    private InMemoryOnlineStore store;

    private static OnlineStoreFeatureFetcher.OnlineView view(String name, List<String> keys, List<String> features) {
        return new OnlineStoreFeatureFetcher.OnlineView(name, name + "@1",
                keys.stream().map(k -> Field.of(k, FeatureType.STRING)).toList(), features, Optional.empty());
    }

    @Override
    protected FeatureFetcher create() {
        store = new InMemoryOnlineStore(Clock.fixed(NOW, ZoneOffset.UTC));
        return new OnlineStoreFeatureFetcher(store, VIEWS);
    }

    @Override
    protected void store(Map<String, Object> entity, Map<String, Object> values) {
        OnlineStoreFeatureFetcher.OnlineView view = VIEWS.stream()
                .filter(v -> v.joinKeys().size() == entity.size() && v.joinKeys().stream().allMatch(k -> entity.containsKey(k.name())))
                .findFirst().orElseThrow();
        List<Object> key = new ArrayList<>();
        view.joinKeys().forEach(k -> key.add(entity.get(k.name())));
        store.write(view.onlineName(), List.of(new OnlineRecord(EntityKey.of(key), values, NOW)));
    }

    @Test
    void featuresAreReadFromTheViewTheModelRecordedAndStaleValuesAreWithheld() {
        InMemoryOnlineStore s = new InMemoryOnlineStore(Clock.fixed(NOW, ZoneOffset.UTC));
        var credit = new OnlineStoreFeatureFetcher.OnlineView("credit", "credit@2", List.of(Field.of("ssn", FeatureType.STRING)),
                List.of("due", "pulls"), Optional.of(Duration.ofDays(1)));
        var zip = new OnlineStoreFeatureFetcher.OnlineView("zip", "zip@1", List.of(Field.of("zipcode", FeatureType.INT64)),
                List.of("population"), Optional.empty());
        s.write("credit@2", List.of(new OnlineRecord(EntityKey.of("a"), Map.of("due", 10L, "pulls", 1L), NOW.minusSeconds(60)),
                new OnlineRecord(EntityKey.of("old"), Map.of("due", 99L), NOW.minus(Duration.ofDays(3)))));
        s.write("zip@1", List.of(new OnlineRecord(EntityKey.of(30721L), Map.of("population", 5000L), NOW)));
        var fetcher = new OnlineStoreFeatureFetcher(s, List.of(credit, zip));

        FetchedFeatures f = fetcher.fetch(new FeatureRequest("d", List.of("due", "population"), List.of("credit:due", "zip:population"),
                List.of(Map.of("ssn", "a", "zipcode", 30721), Map.of("ssn", "old", "zipcode", "30721"))));

        assertThat(f.rows().get(0).values()).containsEntry("due", 10L).containsEntry("population", 5000L);
        assertThat(f.rows().get(1).get("due")).as("older than the view's max age").isNull();
        assertThat(f.rows().get(1).get("population")).as("a numeric key sent as text is typed by the view").isEqualTo(5000L);
        assertThat(f.degraded()).isTrue();
        assertThat(f.missing()).anyMatch(note -> note.contains("credit:due OUTSIDE_MAX_AGE"));
    }
}
