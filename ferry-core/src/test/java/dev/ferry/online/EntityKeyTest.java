package dev.ferry.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import org.junit.jupiter.api.Test;

class EntityKeyTest {

    @Test
    void anIntegerAndTheEqualLongAreTheSameKeyButTheStringIsNot() {
        assertThat(EntityKey.of(42)).isEqualTo(EntityKey.of(42L));
        assertThat(EntityKey.of("42")).isNotEqualTo(EntityKey.of(42L));
        assertThat(EntityKey.of(42, "FR").canonical()).isEqualTo("i42|sFR");
    }

    @Test
    void theCanonicalFormEscapesSeparatorsAndBracesAndParsesBack() {
        EntityKey k = EntityKey.of("a|b{c}%", -5L, "日本\n");
        assertThat(k.canonical()).doesNotContain("{", "}", "\n").isEqualTo("sa%7cb%7bc%7d%25|i-5|s日本%0a");
        assertThat(EntityKey.parse(k.canonical())).isEqualTo(k);
        assertThat(EntityKey.parse(k.canonical()).values()).containsExactly("a|b{c}%", -5L, "日本\n");
    }

    @Test
    void anUnsupportedOrMissingValueIsRefused() {
        assertThatThrownBy(() -> EntityKey.of(1.5))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'1.5' of type java.lang.Double")
                .hasMessageContaining("String, Integer or Long");
        assertThatThrownBy(() -> EntityKey.of("a", null)).hasMessageContaining("value 1 was null");
        assertThatThrownBy(EntityKey::of).hasMessageContaining("empty");
        assertThatThrownBy(() -> EntityKey.parse("x1")).hasMessageContaining("does not start with 'i' or 's'");
        assertThatThrownBy(() -> EntityKey.parse("sab%4")).hasMessageContaining("ends inside an escape");
    }
}
