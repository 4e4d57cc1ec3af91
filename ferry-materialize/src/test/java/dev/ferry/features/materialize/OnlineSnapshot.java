package dev.ferry.features.materialize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureStatus;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads every expected driver back from an online store, for comparisons before and after a run. */
final class OnlineSnapshot {

    static final List<String> FEATURES = List.of("trips", "rating", "city");

    private OnlineSnapshot() {
    }

    static Map<Long, List<FeatureValue>> read(OnlineStore store, String view, int drivers) {
        List<EntityKey> keys = new ArrayList<>();
        for (long d = 0; d < drivers; d++) {
            keys.add(EntityKey.of(d));
        }
        Map<Long, List<FeatureValue>> out = new LinkedHashMap<>();
        List<EntityFeatures> got = store.read(view, keys, FEATURES);
        for (int i = 0; i < drivers; i++) {
            out.put((long) i, List.copyOf(got.get(i).features().values()));
        }
        return out;
    }

    /** Asserts the store holds exactly the fixture's latest row of every driver. */
    static void assertMatches(OnlineStore store, String view, TripsFixture fixture, int drivers) {
        Map<Long, List<FeatureValue>> snap = read(store, view, drivers);
        for (long d = 0; d < drivers; d++) {
            TripsFixture.Trip want = fixture.latest.get(d);
            List<FeatureValue> got = snap.get(d);
            if (want == null) {
                assertThat(got).allSatisfy(v -> assertThat(v.status()).isEqualTo(FeatureStatus.NOT_FOUND));
                continue;
            }
            assertThat(got).extracting(FeatureValue::value).as("driver %d", d).containsExactly(want.trips(), want.rating(), want.city());
            assertThat(got.getFirst().eventTime()).contains(want.time());
        }
    }
}
