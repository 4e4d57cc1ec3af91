package dev.ferry.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.features.FeatureRecord;
import dev.ferry.features.OfflineStore;
import dev.ferry.online.FeatureStatus;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Checks of what ingestion left in the online store and the offline log. */
final class StreamAssertions {

    private StreamAssertions() {
    }

    /** Every driver holds exactly its latest update (newest event time), or nothing if it had none. */
    static void onlineHoldsLatest(StreamFixture f, OnlineStore store, String view, int drivers) {
        Map<Long, List<FeatureValue>> got = f.online(store, view, drivers);
        for (long d = 0; d < drivers; d++) {
            StreamFixture.Update want = f.latest.get(d);
            List<FeatureValue> v = got.get(d);
            if (want == null) {
                assertThat(v).allSatisfy(x -> assertThat(x.status()).isEqualTo(FeatureStatus.NOT_FOUND));
                continue;
            }
            assertThat(v.get(0).value()).as("driver %d trips", d).isEqualTo(want.trips());
            if (want.rating() == null) {
                assertThat(v.get(1).status()).isEqualTo(FeatureStatus.NULL_VALUE);
            } else {
                assertThat(v.get(1).value()).isEqualTo(want.rating());
            }
            assertThat(v.get(2).value()).isEqualTo(want.city());
            assertThat((float[]) v.get(3).value()).containsExactly(want.emb());
            assertThat(v.get(0).eventTime()).contains(want.time());
        }
    }

    /** A comparable rendering of the online state (arrays compared by content). */
    static Map<Long, List<String>> snapshot(StreamFixture f, OnlineStore store, String view, int drivers) {
        Map<Long, List<String>> out = new HashMap<>();
        f.online(store, view, drivers).forEach((d, values) -> out.put(d, values.stream()
                .map(v -> v.status() + "@" + v.eventTime().orElse(null) + "=" + (v.value() instanceof float[] a ? Arrays.toString(a) : v.value()))
                .toList()));
        return out;
    }

    /** The offline log, read back through the view's Parquet source, gives the same latest values as online. */
    static void offlineAgreesWithOnline(StreamFixture f, int drivers) {
        try (OfflineStore offline = OfflineStore.open(f.registry);
             Stream<FeatureRecord> rows = offline.latest("driver_stats", Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"))) {
            Map<Long, FeatureRecord> byDriver = new HashMap<>();
            rows.forEach(r -> byDriver.put((Long) r.key().get("driver_id"), r));
            assertThat(byDriver).hasSize(f.latest.size());
            f.latest.forEach((d, want) -> {
                FeatureRecord r = byDriver.get(d);
                assertThat(r.eventTime()).isEqualTo(want.time());
                assertThat(r.features().get("trips")).isEqualTo(want.trips());
                assertThat(r.features().get("rating")).isEqualTo(want.rating());
                assertThat((float[]) r.features().get("emb")).containsExactly(want.emb());
            });
        }
    }

    /** Rows in the offline log and how many distinct Kafka offsets they came from. */
    static long[] offlineCounts(StreamFixture f) {
        try (OfflineStore offline = OfflineStore.open(f.registry)) {
            var r = offline.sql("SELECT count(*) AS n, count(DISTINCT _kafka_partition::VARCHAR || ':' || _kafka_offset::VARCHAR) AS d FROM read_parquet('"
                    + f.dir.resolve("offline").resolve("driver_stats").resolve("*.parquet") + "')", 1);
            var row = r.rows().getFirst();
            return new long[] {((Number) row.get("n")).longValue(), ((Number) row.get("d")).longValue()};
        }
    }
}
