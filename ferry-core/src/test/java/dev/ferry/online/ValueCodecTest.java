package dev.ferry.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ValidationFailedException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00.000001Z");

    @Test
    void theVersionOneLayoutIsStable() {
        // Pinned bytes: a change here breaks every store written by an earlier Ferry.
        assertThat(HexFormat.of().formatHex(ValueCodec.encode(42L, Instant.EPOCH)))
                .isEqualTo("01" + "8000000000000000" + "03" + "000000000000002a");
        assertThat(HexFormat.of().formatHex(ValueCodec.encode("é", Instant.ofEpochSecond(0, 1000))))
                .isEqualTo("01" + "8000000000000001" + "06" + "02" + "c3a9");
        assertThat(HexFormat.of().formatHex(ValueCodec.encode(null, Instant.EPOCH.minusNanos(1000))))
                .isEqualTo("01" + "7fffffffffffffff" + "00");
    }

    @Test
    void anUnknownVersionIsRefusedNamingFoundAndExpected() {
        byte[] bytes = ValueCodec.encode(1, T);
        bytes[0] = 9;
        assertThatThrownBy(() -> ValueCodec.decode(bytes))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("version was 9")
                .hasMessageContaining("reads version 1");
        byte[] entity = ValueCodec.encodeEntity(Map.of("x", ValueCodec.encode(1, T)));
        entity[0] = 2;
        assertThatThrownBy(() -> ValueCodec.decodeEntity(entity)).hasMessageContaining("version was 2");
    }

    @Test
    void aTruncatedValueIsReportedAsCorrupt() {
        byte[] bytes = ValueCodec.encode(new double[] {1, 2, 3}, T);
        assertThatThrownBy(() -> ValueCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("corrupt");
    }

    @Test
    void encodedEventTimesSortAsUnsignedBytesInTimeOrder() {
        Instant[] times = {Instant.parse("1900-01-01T00:00:00Z"), Instant.EPOCH.minusNanos(1000), Instant.EPOCH,
                T, T.plusNanos(1000), Instant.parse("2400-01-01T00:00:00Z")};
        for (int i = 1; i < times.length; i++) {
            byte[] a = Arrays.copyOfRange(ValueCodec.encode(1, times[i - 1]), 1, 9);
            byte[] b = Arrays.copyOfRange(ValueCodec.encode(1, times[i]), 1, 9);
            assertThat(Arrays.compareUnsigned(a, b)).as(times[i - 1] + " < " + times[i]).isNegative();
            assertThat(ValueCodec.eventTime(ValueCodec.encode(1, times[i]))).isEqualTo(times[i]);
        }
    }

    @Test
    void anEntityRoundTripsWithItsFeatureOrder() {
        Map<String, byte[]> in = new LinkedHashMap<>();
        in.put("zeta", ValueCodec.encode("z", T));
        in.put("alpha", ValueCodec.encode(new int[300], T));
        Map<String, byte[]> out = ValueCodec.decodeEntity(ValueCodec.encodeEntity(in));
        assertThat(out.keySet()).containsExactly("zeta", "alpha");
        assertThat(ValueCodec.decode(out.get("alpha")).value()).isEqualTo(new int[300]);
    }

    @Test
    void aSelectiveDecodeAnswersTheWantedFeaturesInTheirOrderWhateverTheStoredOrder() {
        Map<String, byte[]> in = new LinkedHashMap<>();
        in.put("a", ValueCodec.encode(1L, T));
        in.put("b", ValueCodec.encode("two", T.plusSeconds(1)));
        in.put("é", ValueCodec.encode(null, T));
        in.put("d", ValueCodec.encode(new double[] {4}, T));
        byte[] entity = ValueCodec.encodeEntity(in);

        StoredValue[] inOrder = ValueCodec.decodeEntity(entity, new ValueCodec.Wanted(java.util.List.of("a", "b", "é", "d")));
        assertThat(inOrder).extracting(StoredValue::value).containsExactly(1L, "two", null, new double[] {4});
        assertThat(inOrder[1].eventTime()).isEqualTo(T.plusSeconds(1));

        StoredValue[] shuffled = ValueCodec.decodeEntity(entity,
                new ValueCodec.Wanted(java.util.List.of("d", "missing", "é", "a")));
        assertThat(shuffled[0].value()).isEqualTo(new double[] {4});
        assertThat(shuffled[1]).as("a feature the entity does not have").isNull();
        assertThat(shuffled[2].value()).isNull();
        assertThat(shuffled[2].eventTime()).as("a stored null keeps its event time").isEqualTo(T);
        assertThat(shuffled[3].value()).isEqualTo(1L);
    }

    @Test
    void aSelectiveDecodeOfATruncatedOrForeignEntityIsRefused() {
        byte[] entity = ValueCodec.encodeEntity(Map.of("x", ValueCodec.encode("abc", T)));
        ValueCodec.Wanted x = new ValueCodec.Wanted(java.util.List.of("x"));
        assertThatThrownBy(() -> ValueCodec.decodeEntity(Arrays.copyOf(entity, entity.length - 2), x))
                .isInstanceOf(ValidationFailedException.class).hasMessageContaining("corrupt");
        byte[] foreign = entity.clone();
        foreign[0] = 7;
        assertThatThrownBy(() -> ValueCodec.decodeEntity(foreign, x)).hasMessageContaining("version was 7");
    }
}
