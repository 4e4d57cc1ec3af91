package dev.ferry.serving.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureStatus;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ViewPointers;
import dev.ferry.serving.OnlineFeatures;
import dev.ferry.serving.OnlineStoreFeatureFetcher.OnlineView;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link OnlineFeatures} answers over any {@link OnlineStore}: every store runs this suite.
 * The views mirror the Feast credit tutorial: credit_history keyed by a string, zipcode_features by an integer.
 */
public abstract class OnlineFeaturesContract {

    protected static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    protected static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Instant FRESH = NOW.minus(Duration.ofDays(10));
    static final Instant STALE = NOW.minus(Duration.ofDays(800));

    static final OnlineView CREDIT = new OnlineView("credit_history", "credit_history@2",
            List.of(Field.required("dob_ssn", FeatureType.STRING)), List.of("credit_card_due", "mortgage_due", "hard_pulls"),
            Optional.of(Duration.ofDays(730)));
    static final OnlineView ZIP = new OnlineView("zipcode_features", "zipcode_features@1",
            List.of(Field.required("zipcode", FeatureType.INT64)), List.of("city", "population"), Optional.empty());
    static final OnlineView ZIP_HISTORY = new OnlineView("zipcode_history", "zipcode_history@1",
            List.of(Field.required("zipcode", FeatureType.INT64)), List.of("city"), Optional.empty());

    protected OnlineStore store;
    private final AtomicInteger reads = new AtomicInteger();
    /** Store calls ({@code readViews}, or a lone {@code read}): round trips on Redis. */
    private final AtomicInteger calls = new AtomicInteger();
    private OnlineFeatures features;

    /** A new, empty store reading with {@link #CLOCK}. */
    protected abstract OnlineStore newStore();

    @BeforeEach
    void fill() {
        store = newStore();
        store.write("credit_history@2", List.of(
                new OnlineRecord(EntityKey.of("19530219_5179"), values("credit_card_due", 8419L, "mortgage_due", 91803L, "hard_pulls", null), FRESH),
                new OnlineRecord(EntityKey.of("19781116_7723"), values("credit_card_due", 2944L, "mortgage_due", 741165L), STALE)));
        store.write("credit_history@1", List.of(
                new OnlineRecord(EntityKey.of("19530219_5179"), values("credit_card_due", 1L), FRESH)));
        store.write("zipcode_features@1", List.of(
                new OnlineRecord(EntityKey.of(30721L), values("city", "DALTON", "population", 21000L), STALE)));
        store.write("zipcode_history@1", List.of(
                new OnlineRecord(EntityKey.of(30721L), values("city", "OLD DALTON"), STALE)));
        OnlineStore counting = new CountingStore(store, reads, calls);
        features = new OnlineFeatures(counting, List.of(CREDIT, ZIP, ZIP_HISTORY),
                List.of(new OnlineFeatures.Service("credit_model", List.of("zipcode_features", "credit_history:credit_card_due"))));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, List<?>> entities(Object... kv) {
        Map<String, List<?>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (List<?>) kv[i + 1]);
        }
        return m;
    }

    @Test
    void eachRowHasTheEntityKeysFirstThenValueStatusAndEventTimePerFeature() {
        OnlineFeatures.Response r = features.get(List.of("credit_history:credit_card_due", "zipcode_features:population"),
                entities("dob_ssn", List.of("19530219_5179"), "zipcode", List.of(30721)), false);

        assertThat(r.featureNames()).containsExactly("dob_ssn", "zipcode", "credit_card_due", "population");
        assertThat(r.entityColumns()).isEqualTo(2);
        List<FeatureValue> row = r.rows().getFirst();
        assertThat(row.get(0)).isEqualTo(new FeatureValue("19530219_5179", FeatureStatus.PRESENT, Optional.empty()));
        assertThat(row.get(1).value()).isEqualTo(30721L);
        assertThat(row.get(2)).isEqualTo(new FeatureValue(8419L, FeatureStatus.PRESENT, Optional.of(FRESH)));
        assertThat(row.get(3)).isEqualTo(new FeatureValue(21000L, FeatureStatus.PRESENT, Optional.of(STALE)));
    }

    @Test
    void rowsAreImmutableListsEqualToTheirCopiesAndARepeatedRequestSeesNewWrites() {
        List<String> refs = List.of("credit_history:credit_card_due", "credit_history:mortgage_due");
        Map<String, List<?>> who = entities("dob_ssn", List.of("19530219_5179", "unknown_ssn"));
        OnlineFeatures.Response first = features.get(refs, who, false);
        List<List<FeatureValue>> copies = first.rows().stream().map(List::copyOf).toList();
        assertThat(first.rows()).isEqualTo(copies).hasSize(2);
        assertThat(first.rows().hashCode()).isEqualTo(copies.hashCode());
        assertThat(first.rows().get(1)).containsExactly(new FeatureValue("unknown_ssn", FeatureStatus.PRESENT, Optional.empty()),
                FeatureValue.notFound(), FeatureValue.notFound());
        assertThatThrownBy(() -> first.rows().get(0).set(1, FeatureValue.notFound())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.rows().get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> first.rows().get(0).get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        // a row's own iterator walks what get(i) answers, and ends where the row does
        List<FeatureValue> row = first.rows().get(0);
        java.util.Iterator<FeatureValue> walk = row.iterator();
        for (int i = 0; i < row.size(); i++) {
            assertThat(walk.hasNext()).isTrue();
            assertThat(walk.next()).isEqualTo(row.get(i));
        }
        assertThat(walk.hasNext()).isFalse();
        assertThatThrownBy(walk::next).isInstanceOf(java.util.NoSuchElementException.class);

        // the same feature list again (its resolution is reused): the values are read anew
        store.write("credit_history@2", List.of(new OnlineRecord(EntityKey.of("unknown_ssn"), values("credit_card_due", 5L), FRESH)));
        OnlineFeatures.Response second = features.get(List.copyOf(refs), who, false);
        assertThat(second.get(1, "credit_card_due")).isEqualTo(new FeatureValue(5L, FeatureStatus.PRESENT, Optional.of(FRESH)));
        assertThat(first.get(1, "credit_card_due")).isEqualTo(FeatureValue.notFound());
        assertThat(features.get(refs, who, true).featureNames())
                .containsExactly("dob_ssn", "credit_history__credit_card_due", "credit_history__mortgage_due");
    }

    @Test
    void statusesTellNullFromMissingFromTooOld() {
        OnlineFeatures.Response r = features.get(List.of("credit_history"),
                entities("dob_ssn", List.of("19530219_5179", "19781116_7723", "00000000_0000")), false);

        assertThat(r.rows()).hasSize(3);
        assertThat(r.get(0, "hard_pulls")).isEqualTo(new FeatureValue(null, FeatureStatus.NULL_VALUE, Optional.of(FRESH)));
        assertThat(r.get(1, "credit_card_due")).isEqualTo(new FeatureValue(null, FeatureStatus.OUTSIDE_MAX_AGE, Optional.of(STALE)));
        assertThat(r.get(1, "hard_pulls").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(r.get(2, "mortgage_due")).isEqualTo(FeatureValue.notFound());
    }

    @Test
    void aServiceReadsItsFeaturesInOneRoundTripPerView() {
        OnlineFeatures.Response r = features.getService("credit_model",
                entities("zipcode", List.of(30721L, 30721L), "dob_ssn", List.of("19530219_5179", "x")), true);

        assertThat(r.featureNames()).containsExactly("zipcode", "dob_ssn", "zipcode_features__city",
                "zipcode_features__population", "credit_history__credit_card_due");
        assertThat(r.get(1, "zipcode_features__city").value()).isEqualTo("DALTON");
        assertThat(r.get(1, "credit_history__credit_card_due").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aPublishedViewIsReadAtItsPointersVersionInTheSameRoundTripAsTheData() {
        ViewPointers pointers = ViewPointers.in(store, CLOCK);
        List<Field> keys = List.of(Field.required("dob_ssn", FeatureType.STRING));
        store.write("scores@1", List.of(new OnlineRecord(EntityKey.of("19530219_5179"), values("score", 0.25), FRESH)));
        pointers.publish("scores", 1, keys, List.of("score"), 2);
        OnlineFeatures api = new OnlineFeatures(new CountingStore(store, reads, calls), List.of(CREDIT,
                new OnlineView("scores", "scores@1", keys, List.of("score"), Optional.empty())), List.of(), pointers);
        List<String> refs = List.of("scores:score", "credit_history:credit_card_due");
        Map<String, List<?>> who = entities("dob_ssn", List.of("19530219_5179"));

        assertThat(api.get(refs, who, false).get(0, "score").value()).isEqualTo(0.25);
        assertThat(calls).as("the pointers are read with the data").hasValue(1);

        // a batch job publishes version 2: the next read sees it, reading the moved view again once
        store.write("scores@2", List.of(new OnlineRecord(EntityKey.of("19530219_5179"), values("score", 0.75), FRESH)));
        pointers.publish("scores", 2, keys, List.of("score"), 2);
        calls.set(0);
        assertThat(api.get(refs, who, false).get(0, "score").value()).isEqualTo(0.75);
        assertThat(calls).as("one more call, for the view whose pointer moved").hasValue(2);
        calls.set(0);
        assertThat(api.get(refs, who, false).get(0, "score").value()).isEqualTo(0.75);
        assertThat(calls).hasValue(1);

        // a rollback moves the pointer back, and readers follow it
        pointers.rollback("scores");
        assertThat(api.get(refs, who, false).get(0, "score").value()).isEqualTo(0.25);
        assertThat(api.get(refs, who, false).get(0, "credit_card_due").value()).isEqualTo(8419L);
    }

    @Test
    void theViewVersionServedIsTheOneRead() {
        assertThat(features.get(List.of("credit_history@2:credit_card_due"), entities("dob_ssn", List.of("19530219_5179")), false)
                .get(0, "credit_card_due").value()).isEqualTo(8419L);
        assertThatThrownBy(() -> features.get(List.of("credit_history@1:credit_card_due"), entities("dob_ssn", List.of("a")), false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("credit_history@1").hasMessageContaining("serves credit_history@2");
    }

    @Test
    void sameFeatureNameInTwoViewsNeedsFullNames() {
        assertThatThrownBy(() -> features.get(List.of("zipcode_features:city", "zipcode_history:city"),
                entities("zipcode", List.of(30721L)), false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'city' was requested twice");
        OnlineFeatures.Response r = features.get(List.of("zipcode_features:city", "zipcode_history:city"),
                entities("zipcode", List.of(30721L)), true);
        assertThat(r.get(0, "zipcode_history__city").value()).isEqualTo("OLD DALTON");
    }

    @Test
    void badInputNamesTheFieldTheValueAndWhatWasExpected() {
        Map<String, List<?>> one = entities("dob_ssn", List.of("a"));
        assertThatThrownBy(() -> features.get(List.of("nope:x"), one, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'nope'").hasMessageContaining("credit_history");
        assertThatThrownBy(() -> features.get(List.of("credit_history:nope"), one, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'nope'").hasMessageContaining("credit_card_due");
        assertThatThrownBy(() -> features.get(List.of("zipcode_features:city"), one, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("entities.zipcode is missing");
        assertThatThrownBy(() -> features.get(List.of("credit_history:hard_pulls", "zipcode_features:city"),
                entities("dob_ssn", List.of("a", "b"), "zipcode", List.of(1L)), false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("entities.zipcode has 1 values")
                .hasMessageContaining("entities.dob_ssn has 2");
        assertThatThrownBy(() -> features.get(List.of("zipcode_features:city"), entities("zipcode", List.of(30721L, "30721")), false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("entities.zipcode[1]").hasMessageContaining("30721")
                .hasMessageContaining("int64");
        assertThatThrownBy(() -> features.getService("nope", one, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'nope'").hasMessageContaining("credit_model");
        assertThat(reads).hasValue(0);
    }

    /** Counts the store round trips. */
    private static final class CountingStore implements OnlineStore {
        private final OnlineStore inner;
        private final AtomicInteger reads;

        private final AtomicInteger calls;

        CountingStore(OnlineStore inner, AtomicInteger reads, AtomicInteger calls) {
            this.inner = inner;
            this.reads = reads;
            this.calls = calls;
        }

        @Override
        public List<List<dev.ferry.online.EntityFeatures>> readViews(List<ViewRead> views) {
            calls.incrementAndGet();
            reads.addAndGet(views.size());
            return inner.readViews(views);
        }

        @Override
        public void write(String view, java.util.Collection<OnlineRecord> records) {
            inner.write(view, records);
        }

        @Override
        public List<dev.ferry.online.EntityFeatures> read(String view, List<EntityKey> keys, List<String> f, Duration maxAge) {
            calls.incrementAndGet();
            reads.incrementAndGet();
            return inner.read(view, keys, f, maxAge);
        }

        @Override
        public void dropView(String view) {
            inner.dropView(view);
        }

        @Override
        public void close() {
            // the test closes the inner store
        }
    }
}
