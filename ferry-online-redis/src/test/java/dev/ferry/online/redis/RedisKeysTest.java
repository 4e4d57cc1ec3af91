package dev.ferry.online.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.online.EntityKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

    @Test
    void anEntityKeyBuiltFromItsViewPrefixIsTheDocumentedLayout() {
        RedisKeys keys = new RedisKeys("ferry:");
        byte[] viewPrefix = keys.entityPrefix("trips@2");
        for (EntityKey key : new EntityKey[] {EntityKey.of(42L), EntityKey.of("u1", 7L), EntityKey.of("café"),
                EntityKey.of("a|b{c}"), EntityKey.of("日本", "\uD83D\uDE00")}) {
            String expected = "ferry:e:trips@2:{" + key.canonical() + "}";
            assertThat(new String(RedisKeys.entity(viewPrefix, key), StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(RedisKeys.entity(viewPrefix, key)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(keys.entity("trips@2", key));
        }
    }
}
