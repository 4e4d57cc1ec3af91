package dev.ferry.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.ferry.ValidationFailedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass read of an encoded entity ({@code EntityMerge.answer} over bytes and a Wanted)
 * against the plain rule it replaces: decode the entity into a map, decode each wanted value on
 * its own, answer it with {@link FeatureValue#of}. Random entities, wanted lists, clocks and max
 * ages, with the max-age edges drawn on purpose; each case names its seed.
 */
class EntityAnswerPropertyTest {

    // short and long names, names longer than a word (8 bytes) that share their first word, and
    // names of 128 bytes or more (a two-byte varint length)
    private static final String[] NAMES = {"a", "b", "c", "trips_7d", "é", "日本", "x.y", "n0", "n1", "n2", "n3", "n4",
        "feature_", "feature_l", "feature_long_a", "feature_long_b", "feature_lon", "日本語の特徴",
        "long_".repeat(26), "long_".repeat(26) + "b"};
    private static final EntityKey KEY = EntityKey.of("u1");

    @Test
    void theOnePassAnswerEqualsTheReferenceAnswer() {
        for (long seed = 0; seed < 3000; seed++) {
            Random random = new Random(seed);
            Instant now = randomNow(random);
            Duration maxAge = randomMaxAge(random);
            Map<String, byte[]> features = randomEntity(random, now, maxAge);
            byte[] entity = ValueCodec.encodeEntity(features);
            List<String> wanted = randomWanted(random, features);

            EntityFeatures fast = EntityMerge.answer(KEY, entity, new ValueCodec.Wanted(wanted), now, maxAge);
            EntityFeatures reference = EntityMerge.answer(KEY, ValueCodec.decodeEntity(entity), wanted, now, maxAge);
            assertSameAnswer(fast, reference, "seed " + seed + " now " + now + " maxAge " + maxAge + " wanted " + wanted);
        }
    }

    @Test
    void aMissingEntityIsNotFoundForEveryWantedFeature() {
        List<String> wanted = List.of("b", "a", "b", "zz");
        EntityFeatures fast = EntityMerge.answer(KEY, (byte[]) null, new ValueCodec.Wanted(wanted), Instant.EPOCH, Duration.ZERO);
        EntityFeatures reference = EntityMerge.answer(KEY, (Map<String, byte[]>) null, wanted, Instant.EPOCH, Duration.ZERO);
        assertSameAnswer(fast, reference, "missing entity");
        assertThat(fast.size()).isEqualTo(3);
        for (int i = 0; i < fast.size(); i++) {
            assertThat(fast.get(i).status()).isEqualTo(FeatureStatus.NOT_FOUND);
        }
    }

    @Test
    void theMaxAgeEdgesAreJudgedAsTheReferenceRuleDoes() {
        Instant now = Instant.parse("2026-03-01T12:00:00.000500Z");
        Duration maxAge = Duration.ofSeconds(60);
        Instant edge = now.minus(maxAge);
        Map<String, byte[]> features = new LinkedHashMap<>();
        features.put("equal", ValueCodec.encode(1L, edge));
        features.put("over", ValueCodec.encode(2L, edge.minusNanos(1000)));
        features.put("future", ValueCodec.encode(3L, now.plusSeconds(3600)));
        features.put("nullOver", ValueCodec.encode(null, edge.minusNanos(1000)));
        byte[] entity = ValueCodec.encodeEntity(features);
        List<String> wanted = List.copyOf(features.keySet());

        EntityFeatures got = EntityMerge.answer(KEY, entity, new ValueCodec.Wanted(wanted), now, maxAge);
        assertThat(got.get("equal").status()).as("an age equal to the max age is fresh").isEqualTo(FeatureStatus.PRESENT);
        assertThat(got.get("over").status()).as("one microsecond over").isEqualTo(FeatureStatus.OUTSIDE_MAX_AGE);
        assertThat(got.get("over").eventTime()).contains(edge.minusNanos(1000));
        assertThat(got.get("future").status()).isEqualTo(FeatureStatus.PRESENT);
        assertThat(got.get("nullOver").status()).isEqualTo(FeatureStatus.OUTSIDE_MAX_AGE);
        assertThat(EntityMerge.answer(KEY, entity, new ValueCodec.Wanted(wanted), now, OnlineStore.NO_MAX_AGE).get("over").status())
                .isEqualTo(FeatureStatus.PRESENT);

        // a clock between two microseconds: the bound rounds up, as Duration arithmetic on Instants does
        Instant between = edge.minusNanos(1000).plus(maxAge).plusNanos(1);
        assertThat(EntityMerge.answer(KEY, entity, new ValueCodec.Wanted(wanted), between, maxAge).get("over").status())
                .isEqualTo(FeatureStatus.OUTSIDE_MAX_AGE);
        assertThat(EntityMerge.answer(KEY, entity, new ValueCodec.Wanted(wanted), between.minusNanos(1), maxAge).get("over").status())
                .isEqualTo(FeatureStatus.PRESENT);
    }

    @Test
    void featuresWrittenTogetherShareOneEventTime() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        Map<String, byte[]> features = new LinkedHashMap<>();
        features.put("a", ValueCodec.encode(1L, t));
        features.put("b", ValueCodec.encode(2.5, t));
        features.put("c", ValueCodec.encode(null, t));
        List<String> wanted = List.of("a", "b", "c");
        EntityFeatures got = EntityMerge.answer(KEY, ValueCodec.encodeEntity(features), new ValueCodec.Wanted(wanted),
                t, OnlineStore.NO_MAX_AGE);
        assertThat(got.get(1).eventTime()).isSameAs(got.get(0).eventTime()).isSameAs(got.get(2).eventTime()).contains(t);
    }

    @Test
    void everyTruncationOfAnEntityIsRefusedAsCorrupt() {
        for (long seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            Instant now = randomNow(random);
            Map<String, byte[]> features = randomEntity(random, now, Duration.ofHours(1));
            byte[] entity = ValueCodec.encodeEntity(features);
            ValueCodec.Wanted wanted = new ValueCodec.Wanted(List.of(NAMES));
            for (int length = 0; length < entity.length; length++) {
                byte[] truncated = java.util.Arrays.copyOf(entity, length);
                String as = "seed " + seed + ", " + length + " of " + entity.length + " bytes";
                assertThatThrownBy(() -> EntityMerge.answer(KEY, truncated, wanted, now, OnlineStore.NO_MAX_AGE))
                        .as(as).isInstanceOf(ValidationFailedException.class)
                        .hasMessageContaining(length == 0 ? "was empty" : "online entity of " + length + " bytes is corrupt");
            }
        }
    }

    @Test
    void corruptBytesAreRefusedWhereTheReferenceRefusesThemAndAnsweredAsItAnswersElsewhere() {
        int refused = 0;
        for (long seed = 0; seed < 3000; seed++) {
            Random random = new Random(seed);
            Instant now = randomNow(random);
            Duration maxAge = randomMaxAge(random);
            Map<String, byte[]> features = randomEntity(random, now, maxAge);
            byte[] entity = ValueCodec.encodeEntity(features);
            List<String> wanted = randomWanted(random, features);
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int at = 1 + random.nextInt(entity.length - 1); // byte 0, the version, has its own test
                entity[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : entity[at] ^ (1 << random.nextInt(8)));
            }
            EntityFeatures fast;
            try {
                fast = EntityMerge.answer(KEY, entity, new ValueCodec.Wanted(wanted), now, maxAge);
            } catch (ValidationFailedException e) {
                refused++;
                // The reference allocates whatever a corrupt length says before finding the bytes
                // missing (up to 2 GB), so it is asked to agree only about the other corruptions.
                if (!(e.getMessage().contains("past the end") || e.getMessage().contains("needs"))) {
                    assertThatThrownBy(() -> EntityMerge.answer(KEY, ValueCodec.decodeEntity(entity), wanted, now, maxAge))
                            .as("seed " + seed + ": the one-pass read refused with " + e.getMessage())
                            .isInstanceOf(ValidationFailedException.class);
                }
                continue;
            }
            EntityFeatures reference = EntityMerge.answer(KEY, ValueCodec.decodeEntity(entity), wanted, now, maxAge);
            assertSameAnswer(fast, reference, "seed " + seed);
        }
        assertThat(refused).as("corruptions refused").isBetween(300, 2900);
    }

    @Test
    void anotherCodecVersionIsRefusedNamingIt() {
        byte[] entity = ValueCodec.encodeEntity(Map.of("x", ValueCodec.encode(1L, Instant.EPOCH)));
        ValueCodec.Wanted wanted = new ValueCodec.Wanted(List.of("x"));
        entity[0] = 3;
        assertThatThrownBy(() -> EntityMerge.answer(KEY, entity, wanted, Instant.EPOCH, OnlineStore.NO_MAX_AGE))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("codec version was 3")
                .hasMessageContaining("reads version 1");

        Map<String, byte[]> inner = new LinkedHashMap<>();
        byte[] value = ValueCodec.encode(1L, Instant.EPOCH);
        value[0] = 2;
        inner.put("x", value);
        byte[] innerForeign = ValueCodec.encodeEntity(inner);
        assertThatThrownBy(() -> EntityMerge.answer(KEY, innerForeign, wanted, Instant.EPOCH, OnlineStore.NO_MAX_AGE))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("corrupt")
                .hasMessageContaining("codec version 2");
    }

    @Test
    void trailingBytesInAValueAreRefused() {
        for (Object v : new Object[] {null, true, 7, 7L, 1.5f, 2.5, "abc", new float[] {1}, new double[] {1, 2},
                new int[] {3}, new long[] {4, 5}}) {
            byte[] value = ValueCodec.encode(v, Instant.EPOCH);
            byte[] longer = java.util.Arrays.copyOf(value, value.length + 1);
            byte[] entity = ValueCodec.encodeEntity(Map.of("x", longer));
            assertThatThrownBy(() -> EntityMerge.answer(KEY, entity, new ValueCodec.Wanted(List.of("x")),
                    Instant.EPOCH, OnlineStore.NO_MAX_AGE))
                    .as(String.valueOf(v)).isInstanceOf(ValidationFailedException.class).hasMessageContaining("1 trailing bytes");
            // not wanted: not decoded, as before
            assertThat(EntityMerge.answer(KEY, entity, new ValueCodec.Wanted(List.of("y")), Instant.EPOCH,
                    OnlineStore.NO_MAX_AGE).get("y").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        }
    }

    @Test
    void bytesAfterAnEntitysLastFeatureAreRefusedByBothDecoders() {
        byte[] entity = ValueCodec.encodeEntity(Map.of("x", ValueCodec.encode(1L, Instant.EPOCH)));
        byte[] longer = java.util.Arrays.copyOf(entity, entity.length + 2);
        assertThatThrownBy(() -> EntityMerge.answer(KEY, longer, new ValueCodec.Wanted(List.of("x")), Instant.EPOCH,
                OnlineStore.NO_MAX_AGE))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("2 trailing bytes after its 1 features");
        assertThatThrownBy(() -> ValueCodec.decodeEntity(longer))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("2 trailing bytes after its 1 features");
        // the same bytes read as the entity's length only are whole
        assertThat(EntityMerge.answer(KEY, longer, entity.length, new ValueCodec.Wanted(List.of("x")), Instant.EPOCH,
                OnlineStore.NO_MAX_AGE).get("x").value()).isEqualTo(1L);
    }

    private static void assertSameAnswer(EntityFeatures fast, EntityFeatures reference, String as) {
        assertThat(fast.key()).as(as).isEqualTo(reference.key());
        assertThat(List.copyOf(fast.features().keySet())).as(as).containsExactlyElementsOf(reference.features().keySet());
        assertThat(fast.size()).as(as).isEqualTo(reference.size());
        int i = 0;
        for (Map.Entry<String, FeatureValue> e : reference.features().entrySet()) {
            FeatureValue want = e.getValue();
            FeatureValue got = fast.get(i);
            assertThat(fast.get(e.getKey())).as(as).isSameAs(got);
            assertThat(got.status()).as(as + " feature " + e.getKey()).isEqualTo(want.status());
            assertThat(got.eventTime()).as(as + " feature " + e.getKey()).isEqualTo(want.eventTime());
            if (!Objects.deepEquals(got.value(), want.value())) {
                fail(as + " feature " + e.getKey() + ": " + describe(got.value()) + " but expected " + describe(want.value()));
            }
            i++;
        }
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + java.util.Arrays.deepToString(new Object[] {v});
    }

    private static Instant randomNow(Random random) {
        long seconds = 1_700_000_000L + random.nextInt(100_000_000);
        // whole microseconds half of the time, so that the exact max-age edge is representable
        long nanos = random.nextBoolean() ? random.nextInt(1_000_000) * 1000L : random.nextInt(1_000_000_000);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static Duration randomMaxAge(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> OnlineStore.NO_MAX_AGE;
            case 1 -> Duration.ZERO;
            case 2 -> Duration.ofSeconds(random.nextInt(3600));
            case 3 -> Duration.ofNanos(random.nextInt(1_000_000) * 1000L);
            default -> Duration.ofSeconds(random.nextInt(100_000), random.nextInt(1_000_000_000));
        };
    }

    /** Event times from a few candidates around the max-age edge, so many features share one. */
    private static Instant[] times(Random random, Instant now, Duration maxAge) {
        Instant edge = maxAge.equals(OnlineStore.NO_MAX_AGE) ? now.minusSeconds(86_400 * 365) : now.minus(maxAge);
        Instant micros = Instant.ofEpochSecond(edge.getEpochSecond(), edge.getNano() / 1000 * 1000);
        return new Instant[] {micros, micros.minusNanos(1000), micros.plusNanos(1000), now.plusSeconds(random.nextInt(100) + 1),
                Instant.ofEpochSecond(now.getEpochSecond(), now.getNano() / 1000 * 1000), Instant.EPOCH.minusNanos(1000),
                Instant.ofEpochSecond(-62_000_000_000L, 123_000)};
    }

    private static Map<String, byte[]> randomEntity(Random random, Instant now, Duration maxAge) {
        Instant[] times = times(random, now, maxAge);
        List<String> names = new ArrayList<>(List.of(NAMES));
        Collections.shuffle(names, random);
        Map<String, byte[]> features = new LinkedHashMap<>();
        int n = 1 + random.nextInt(names.size());
        Instant shared = times[random.nextInt(times.length)];
        for (String name : names.subList(0, n)) {
            Instant t = random.nextInt(3) == 0 ? times[random.nextInt(times.length)] : shared;
            features.put(name, ValueCodec.encode(randomValue(random), t));
        }
        return features;
    }

    private static Object randomValue(Random random) {
        int length = random.nextInt(6);
        return switch (random.nextInt(11)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextLong();
            case 4 -> random.nextInt(10) == 0 ? Float.NaN : random.nextFloat() * 1e6f - 5e5f;
            case 5 -> random.nextInt(10) == 0 ? Double.NEGATIVE_INFINITY : random.nextGaussian() * 1e9;
            case 6 -> random.nextBoolean() ? "" : "s" + random.nextInt(1000) + (random.nextBoolean() ? "é日本\uD83D\uDE00" : "");
            case 7 -> {
                float[] a = new float[length];
                for (int i = 0; i < length; i++) {
                    a[i] = random.nextFloat();
                }
                yield a;
            }
            case 8 -> random.doubles(length).toArray();
            case 9 -> random.ints(length).toArray();
            default -> random.longs(random.nextInt(200)).toArray(); // long enough for a two-byte varint length
        };
    }

    /** Some of the entity's names, some it lacks, a repeat now and then, in a random or the stored order. */
    private static List<String> randomWanted(Random random, Map<String, byte[]> features) {
        List<String> wanted = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            wanted.addAll(features.keySet()); // the usual read: a view's features in their written order
        } else {
            for (String name : NAMES) {
                if (random.nextBoolean()) {
                    wanted.add(name);
                }
            }
            if (random.nextBoolean()) {
                wanted.add("missing_" + random.nextInt(3));
            }
            Collections.shuffle(wanted, random);
        }
        if (wanted.isEmpty() || random.nextInt(4) == 0) {
            wanted.add(random.nextInt(wanted.size() + 1), NAMES[random.nextInt(NAMES.length)]);
        }
        if (random.nextInt(5) == 0) {
            wanted.add(wanted.get(random.nextInt(wanted.size()))); // asked twice
        }
        return wanted;
    }
}
