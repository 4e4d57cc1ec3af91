package dev.ferry.online;

import dev.ferry.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OnlineStore} must have. A backend is correct when a subclass that
 * only says how to create the store passes: extend this class, implement {@link #newStore}.
 */
public abstract class OnlineStoreContract {

    protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    protected static final String VIEW = "credit_history@1";

    protected MutableClock clock;
    protected OnlineStore store;

    /** A fresh, empty store reading time from {@code clock}. Called before every test. */
    protected abstract OnlineStore newStore(MutableClock clock);

    @BeforeEach
    void openStore() {
        clock = new MutableClock(T0.plus(Duration.ofHours(1)));
        store = newStore(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static OnlineRecord record(Object key, Instant t, Object... featureValuePairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < featureValuePairs.length; i += 2) {
            values.put((String) featureValuePairs[i], featureValuePairs[i + 1]);
        }
        return new OnlineRecord(EntityKey.of(key), values, t);
    }

    protected FeatureValue readOne(String view, Object key, String feature) {
        return store.read(view, List.of(EntityKey.of(key)), List.of(feature)).getFirst().get(feature);
    }

    @Test
    void everyCanonicalTypeComesBackEqualWithItsEventTime() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("b", true);
        values.put("i", -7);
        values.put("l", Long.MIN_VALUE);
        values.put("f", 1.5f);
        values.put("nanf", Float.NaN);
        values.put("d", Math.PI);
        values.put("s", "héllo | {wörld} 日本");
        values.put("empty", "");
        values.put("fa", new float[] {1f, -2.5f, Float.MAX_VALUE});
        values.put("da", new double[] {0.1, Double.NEGATIVE_INFINITY});
        values.put("ia", new int[] {Integer.MIN_VALUE, 0, 3});
        values.put("la", new long[] {Long.MAX_VALUE});
        values.put("emptyArray", new double[0]);
        Instant t = T0.plusNanos(123_456_000);
        store.write(VIEW, List.of(new OnlineRecord(EntityKey.of("u1"), values, t)));

        EntityFeatures got = store.read(VIEW, List.of(EntityKey.of("u1")), List.copyOf(values.keySet())).getFirst();

        assertThat(got.features().keySet()).containsExactlyElementsOf(values.keySet());
        values.forEach((f, v) -> {
            FeatureValue fv = got.get(f);
            assertThat(fv.status()).as(f).isEqualTo(FeatureStatus.PRESENT);
            assertThat(fv.value()).as(f).isInstanceOf(v.getClass()).isEqualTo(v);
            assertThat(fv.eventTime()).as(f).contains(t);
        });
    }

    @Test
    void severalViewsReadInOneCallAnswerAsSeparateReadsWould() {
        String other = "other_view@3";
        store.write(VIEW, List.of(record("u1", T0, "x", 1L, "y", "a"), record("u2", T0, "x", 2L)));
        store.write(other, List.of(record(7L, T0.minus(Duration.ofHours(2)), "z", 1.5)));
        clock.set(T0.plus(Duration.ofMinutes(1)));

        List<List<EntityFeatures>> both = store.readViews(List.of(
                new OnlineStore.ViewRead(VIEW, List.of(EntityKey.of("u2"), EntityKey.of("u1"), EntityKey.of("nobody")), List.of("x", "y"), OnlineStore.NO_MAX_AGE),
                new OnlineStore.ViewRead(other, List.of(EntityKey.of(7L)), List.of("z"), Duration.ofHours(1))));

        assertThat(both).hasSize(2);
        assertThat(both.get(0)).extracting(ef -> ef.get("x").value()).containsExactly(2L, 1L, null);
        assertThat(both.get(0).get(1).get("y").value()).isEqualTo("a");
        assertThat(both.get(0).get(2).get("x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(both.get(1).getFirst().get("z").status()).isEqualTo(FeatureStatus.OUTSIDE_MAX_AGE);
        assertThat(store.readViews(List.of())).isEmpty();
        assertThatThrownBy(() -> new OnlineStore.ViewRead(VIEW, List.of(), List.of(), OnlineStore.NO_MAX_AGE))
                .isInstanceOf(dev.ferry.InvalidInputException.class).hasMessageContaining("features");
    }

    @Test
    void eventTimesKeepMicrosecondsAndMayBeBefore1970() {
        Instant old = Instant.parse("1950-06-01T00:00:00.000001Z");
        store.write(VIEW, List.of(record("u1", old, "x", 1L)));
        clock.set(old.plusSeconds(1));
        assertThat(readOne(VIEW, "u1", "x").eventTime()).contains(old);
    }

    @Test
    void aNullValueIsStoredAsKnownMissing() {
        store.write(VIEW, List.of(record("u1", T0, "x", null, "y", 2)));
        FeatureValue x = readOne(VIEW, "u1", "x");
        assertThat(x.status()).isEqualTo(FeatureStatus.NULL_VALUE);
        assertThat(x.value()).isNull();
        assertThat(x.eventTime()).contains(T0);
    }

    @Test
    void unknownEntityFeatureAndViewAreNotFound() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1)));
        assertThat(readOne(VIEW, "nobody", "x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(readOne(VIEW, "u1", "nothing").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(readOne("never_written@1", "u1", "x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(readOne(VIEW, "nobody", "x").eventTime()).isEmpty();
    }

    @Test
    void valuesOlderThanMaxAgeAreWithheldAndTheBoundIsInclusive() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1.0)));
        clock.set(T0.plus(Duration.ofMinutes(10)));
        List<EntityKey> keys = List.of(EntityKey.of("u1"));

        FeatureValue atBound = store.read(VIEW, keys, List.of("x"), Duration.ofMinutes(10)).getFirst().get("x");
        assertThat(atBound.status()).isEqualTo(FeatureStatus.PRESENT);

        clock.advance(Duration.ofMillis(1));
        FeatureValue tooOld = store.read(VIEW, keys, List.of("x"), Duration.ofMinutes(10)).getFirst().get("x");
        assertThat(tooOld.status()).isEqualTo(FeatureStatus.OUTSIDE_MAX_AGE);
        assertThat(tooOld.value()).isNull();
        assertThat(tooOld.eventTime()).contains(T0);

        assertThat(store.read(VIEW, keys, List.of("x")).getFirst().get("x").value()).isEqualTo(1.0);
    }

    @Test
    void anOlderEventNeverOverwritesANewerOne() {
        store.write(VIEW, List.of(record("u1", T0.plusSeconds(10), "x", "new", "y", "new")));
        store.write(VIEW, List.of(record("u1", T0, "x", "old", "z", "old-but-first")));

        EntityFeatures got = store.read(VIEW, List.of(EntityKey.of("u1")), List.of("x", "y", "z")).getFirst();
        assertThat(got.get("x").value()).isEqualTo("new");
        assertThat(got.get("x").eventTime()).contains(T0.plusSeconds(10));
        assertThat(got.get("y").value()).isEqualTo("new");
        assertThat(got.get("z").value()).isEqualTo("old-but-first");
    }

    @Test
    void anOlderEventNeverOverwritesANewerOneWithinOneBatch() {
        store.write(VIEW, List.of(record("u1", T0.plusSeconds(10), "x", 2), record("u1", T0, "x", 1)));
        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo(2);
    }

    @Test
    void atEqualEventTimeTheLaterWriteWins() {
        store.write(VIEW, List.of(record("u1", T0, "x", "first")));
        store.write(VIEW, List.of(record("u1", T0, "x", "second")));
        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo("second");
    }

    @Test
    void writingTheSameRecordTwiceChangesNothing() {
        OnlineRecord r = record("u1", T0, "x", new long[] {1, 2}, "y", null);
        store.write(VIEW, List.of(r));
        EntityFeatures once = store.read(VIEW, List.of(EntityKey.of("u1")), List.of("x", "y")).getFirst();
        store.write(VIEW, List.of(r, r));
        EntityFeatures twice = store.read(VIEW, List.of(EntityKey.of("u1")), List.of("x", "y")).getFirst();

        assertThat(twice.get("x").value()).isEqualTo(once.get("x").value()).isEqualTo(new long[] {1, 2});
        assertThat(twice.get("y")).isEqualTo(once.get("y"));
        assertThat(twice.get("x").eventTime()).isEqualTo(once.get("x").eventTime());
    }

    @Test
    void aPartialUpdateKeepsTheOtherFeatures() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1, "y", 2)));
        store.write(VIEW, List.of(record("u1", T0.plusSeconds(5), "y", 20)));

        EntityFeatures got = store.read(VIEW, List.of(EntityKey.of("u1")), List.of("x", "y")).getFirst();
        assertThat(got.get("x").value()).isEqualTo(1);
        assertThat(got.get("x").eventTime()).contains(T0);
        assertThat(got.get("y").value()).isEqualTo(20);
        assertThat(got.get("y").eventTime()).contains(T0.plusSeconds(5));
    }

    @Test
    void aMultiKeyReadAnswersInRequestOrderIncludingRepeatsAndUnknowns() {
        store.write(VIEW, List.of(record("a", T0, "x", 1), record("b", T0, "x", 2), record("c", T0, "x", 3)));
        List<EntityKey> keys = List.of(EntityKey.of("c"), EntityKey.of("zz"), EntityKey.of("a"),
                EntityKey.of("c"), EntityKey.of("b"));

        List<EntityFeatures> got = store.read(VIEW, keys, List.of("x"));

        assertThat(got).extracting(EntityFeatures::key).containsExactlyElementsOf(keys);
        assertThat(got).extracting(e -> e.get("x").value()).containsExactly(3, null, 1, 3, 2);
        assertThat(got.get(1).get("x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
    }

    @Test
    void featuresComeBackInRequestOrder() {
        store.write(VIEW, List.of(record("a", T0, "x", 1, "y", 2, "z", 3)));
        EntityFeatures got = store.read(VIEW, List.of(EntityKey.of("a")), List.of("z", "x", "missing", "y")).getFirst();
        assertThat(got.features().keySet()).containsExactly("z", "x", "missing", "y");
    }

    @Test
    void aThousandEntitiesAreReadInOneCall() {
        List<OnlineRecord> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(record((long) i, T0, "n", i, "sq", (double) i * i));
        }
        store.write(VIEW, records);
        List<EntityKey> keys = IntStream.range(0, 1000).mapToObj(i -> EntityKey.of(999L - i)).toList();

        List<EntityFeatures> got = store.read(VIEW, keys, List.of("n", "sq"));

        assertThat(got).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            int n = 999 - i;
            assertThat(got.get(i).get("n").value()).isEqualTo(n);
            assertThat(got.get(i).get("sq").value()).isEqualTo((double) n * n);
        }
    }

    @Test
    void compositeKeysAndKeysWithSeparatorCharactersAreDistinct() {
        store.write(VIEW, List.of(
                new OnlineRecord(EntityKey.of("a|b", "c"), Map.of("x", 1), T0),
                new OnlineRecord(EntityKey.of("a", "b|c"), Map.of("x", 2), T0),
                new OnlineRecord(EntityKey.of("{tag}%"), Map.of("x", 3), T0),
                new OnlineRecord(EntityKey.of(42L), Map.of("x", 4), T0),
                new OnlineRecord(EntityKey.of("42"), Map.of("x", 5), T0)));

        List<EntityFeatures> got = store.read(VIEW, List.of(EntityKey.of("a|b", "c"), EntityKey.of("a", "b|c"),
                EntityKey.of("{tag}%"), EntityKey.of(42), EntityKey.of("42")), List.of("x"));

        assertThat(got).extracting(e -> e.get("x").value()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void droppingAViewRemovesItsEntitiesAndOnlyThose() {
        store.write(VIEW, List.of(record("u1", T0, "x", 1)));
        store.write("credit_history@2", List.of(record("u1", T0, "x", 2)));
        store.write("credit_history_extra@1", List.of(record("u1", T0, "x", 3)));

        store.dropView(VIEW);

        assertThat(readOne(VIEW, "u1", "x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(readOne("credit_history@2", "u1", "x").value()).isEqualTo(2);
        assertThat(readOne("credit_history_extra@1", "u1", "x").value()).isEqualTo(3);
        store.write(VIEW, List.of(record("u1", T0.minusSeconds(60), "x", 9)));
        assertThat(readOne(VIEW, "u1", "x").value()).isEqualTo(9);
    }

    @Test
    void droppingAViewThatWasNeverWrittenIsFine() {
        store.dropView("never_written@3");
        assertThat(readOne("never_written@3", "u1", "x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
    }

    @Test
    void viewsAreIsolatedFromEachOther() {
        store.write("a@1", List.of(record("u1", T0.plusSeconds(1), "x", "from a")));
        store.write("a@2", List.of(record("u1", T0, "x", "from a2")));
        assertThat(readOne("a@1", "u1", "x").value()).isEqualTo("from a");
        assertThat(readOne("a@2", "u1", "x").value()).isEqualTo("from a2");
    }

    @Test
    void changingAnArrayAfterWritingItDoesNotChangeTheStore() {
        float[] v = {1f, 2f};
        store.write(VIEW, List.of(record("u1", T0, "v", v)));
        v[0] = 99f;
        assertThat(readOne(VIEW, "u1", "v").value()).isEqualTo(new float[] {1f, 2f});
    }

    @Test
    void aValueOfAnUnknownTypeIsRefusedNamingFeatureAndType() {
        assertThatThrownBy(() -> store.write(VIEW, List.of(record("u1", T0, "amount", new BigDecimal("1.5")))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("amount")
                .hasMessageContaining("java.math.BigDecimal")
                .hasMessageContaining("Double");
    }

    @Test
    void emptyOrMalformedViewNamesAreRefused() {
        List<OnlineRecord> records = List.of(record("u1", T0, "x", 1));
        assertThatThrownBy(() -> store.write("", records))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("view was empty");
        assertThatThrownBy(() -> store.read("", List.of(EntityKey.of("u1")), List.of("x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("view was empty");
        assertThatThrownBy(() -> store.dropView("bad view{x}"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'bad view{x}'");
    }

    @Test
    void aReadWithoutFeaturesOrWithANegativeMaxAgeIsRefused() {
        assertThatThrownBy(() -> store.read(VIEW, List.of(EntityKey.of("u1")), List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("features");
        assertThatThrownBy(() -> store.read(VIEW, List.of(EntityKey.of("u1")), List.of("x"), Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxAge");
    }

    @Test
    void entitiesOfVeryDifferentSizesInOneReadEachReadBackExactly() {
        // Small, large and missing entities interleaved in one read: a reader that reuses a buffer
        // between replies must not let one entity's bytes show through in the next.
        java.util.Random random = new java.util.Random(7);
        List<EntityKey> keys = new ArrayList<>();
        Map<EntityKey, String> written = new LinkedHashMap<>();
        List<OnlineRecord> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            EntityKey key = EntityKey.of("size" + i);
            keys.add(key);
            if (i % 7 == 3) {
                continue;
            }
            int length = i % 3 == 0 ? 20_000 + random.nextInt(20_000) : random.nextInt(5);
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < length; c++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            written.put(key, text.toString());
            records.add(new OnlineRecord(key, Map.of("text", text.toString(), "n", (long) i), T0.plusSeconds(i)));
        }
        store.write(VIEW, records);

        List<EntityFeatures> read = store.read(VIEW, keys, List.of("n", "text"));

        assertThat(read).hasSize(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            EntityFeatures got = read.get(i);
            assertThat(got.key()).isEqualTo(keys.get(i));
            String text = written.get(keys.get(i));
            if (text == null) {
                assertThat(got.get("text").status()).as("entity %d", i).isEqualTo(FeatureStatus.NOT_FOUND);
                assertThat(got.get("n").status()).as("entity %d", i).isEqualTo(FeatureStatus.NOT_FOUND);
            } else {
                assertThat(got.get("text").value()).as("entity %d", i).isEqualTo(text);
                assertThat(got.get("n").value()).as("entity %d", i).isEqualTo((long) i);
                assertThat(got.get("n").eventTime()).as("entity %d", i).contains(T0.plusSeconds(i));
            }
        }
    }

    @Test
    void anEmptyReadOrWriteIsANoOp() {
        store.write(VIEW, List.of());
        assertThat(store.read(VIEW, List.of(), List.of("x"))).isEmpty();
    }

    @Test
    void concurrentOutOfOrderWritersLeaveTheNewestValue() throws Exception {
        int threads = 4;
        int writesPerThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < writesPerThread; i++) {
                        // Each thread writes "hot" newest-first, so most of its writes arrive after a newer one.
                        long seconds = (long) i * threads + offset;
                        long version = (writesPerThread - 1L - i) * threads + offset;
                        store.write(VIEW, List.of(record("hot", T0.plusSeconds(version), "x", version),
                                record("cold" + (seconds % 7), T0.plusSeconds(seconds), "x", seconds)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long max = (writesPerThread - 1L) * threads + (threads - 1);
        assertThat(readOne(VIEW, "hot", "x").value()).isEqualTo(max);
        assertThat(readOne(VIEW, "hot", "x").eventTime()).contains(T0.plusSeconds(max));
    }

    @Test
    void aReaderNeverSeesHalfOfAWrite() throws Exception {
        store.write(VIEW, List.of(record("e", T0, "x", 0L, "y", 0L)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                for (long i = 1; i <= 300; i++) {
                    store.write(VIEW, List.of(record("e", T0.plusSeconds(i), "x", i, "y", i)));
                }
            });
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                do {
                    EntityFeatures got = store.read(VIEW, List.of(EntityKey.of("e")), List.of("x", "y")).getFirst();
                    assertThat(got.get("x").value()).isEqualTo(got.get("y").value());
                    reads++;
                } while (!writer.isDone());
                return reads;
            });
            writer.get();
            assertThat(reader.get()).isPositive();
        } finally {
            pool.shutdown();
        }
        assertThat(readOne(VIEW, "e", "x").value()).isEqualTo(300L);
    }
}
