package dev.ferry.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EntityFeaturesTest {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private static final EntityKey KEY = EntityKey.of("u1");

    private static EntityFeatures read(List<String> wanted) {
        Map<String, byte[]> stored = new LinkedHashMap<>();
        stored.put("a", ValueCodec.encode(1L, T));
        stored.put("b", ValueCodec.encode("two", T));
        return EntityMerge.answer(KEY, ValueCodec.encodeEntity(stored), new ValueCodec.Wanted(wanted), T, OnlineStore.NO_MAX_AGE);
    }

    @Test
    void anAnswerIsReadByPositionOrNameInTheRequestedOrder() {
        EntityFeatures got = read(List.of("b", "missing", "a"));
        assertThat(got.size()).isEqualTo(3);
        assertThat(got.get(0).value()).isEqualTo("two");
        assertThat(got.get(1).status()).isEqualTo(FeatureStatus.NOT_FOUND);
        assertThat(got.get(2)).isSameAs(got.get("a"));
        assertThat(got.features().keySet()).containsExactly("b", "missing", "a");
        assertThat(got.features().values()).containsExactly(got.get(0), got.get(1), got.get(2));
        assertThatThrownBy(() -> got.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> got.get("c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("feature 'c' was not requested; requested: [b, missing, a]");
    }

    @Test
    void aFeatureAskedTwiceIsAnsweredOnceAtItsFirstPosition() {
        EntityFeatures got = read(List.of("a", "b", "a"));
        assertThat(got.size()).isEqualTo(2);
        assertThat(got.features().keySet()).containsExactly("a", "b");
        assertThat(got.get(0).value()).isEqualTo(1L);
    }

    @Test
    void theFeaturesMapIsUnmodifiable() {
        Map<String, FeatureValue> features = read(List.of("a")).features();
        assertThatThrownBy(() -> features.put("x", FeatureValue.notFound())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> features.entrySet().iterator().next().setValue(FeatureValue.notFound()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> features.keySet().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void answersAreEqualByKeyAndFeaturesHoweverTheyWereBuilt() {
        EntityFeatures decoded = read(List.of("a", "missing"));
        Map<String, FeatureValue> map = new LinkedHashMap<>();
        map.put("a", new FeatureValue(1L, FeatureStatus.PRESENT, Optional.of(T)));
        map.put("missing", FeatureValue.notFound());
        EntityFeatures built = new EntityFeatures(KEY, map);

        assertThat(built).isEqualTo(decoded);
        assertThat(decoded).isEqualTo(built).hasSameHashCodeAs(built);
        assertThat(decoded.toString()).isEqualTo(built.toString())
                .isEqualTo("EntityFeatures[key=su1, features={a=" + map.get("a") + ", missing=" + FeatureValue.notFound() + "}]");
        assertThat(decoded.features()).isEqualTo(map);
        assertThat(decoded.features().hashCode()).isEqualTo(map.hashCode());
        assertThat(read(List.of("a", "missing"))).as("another read, its own names").isEqualTo(decoded);

        assertThat(new EntityFeatures(EntityKey.of("u2"), map)).isNotEqualTo(built);
        map.put("missing", new FeatureValue(null, FeatureStatus.NULL_VALUE, Optional.of(T)));
        assertThat(new EntityFeatures(KEY, map)).isNotEqualTo(decoded);
    }

    @Test
    void theMapConstructorCopiesItsMap() {
        Map<String, FeatureValue> map = new LinkedHashMap<>();
        map.put("z", FeatureValue.notFound());
        map.put("y", new FeatureValue(2, FeatureStatus.PRESENT, Optional.of(T)));
        EntityFeatures built = new EntityFeatures(KEY, map);
        map.clear();
        assertThat(built.size()).isEqualTo(2);
        assertThat(built.features().keySet()).containsExactly("z", "y");
        assertThat(built.get(1).value()).isEqualTo(2);
        assertThat(built.features().get("y")).isSameAs(built.get("y"));
        assertThat(built.features().containsKey("x")).isFalse();
    }
}
