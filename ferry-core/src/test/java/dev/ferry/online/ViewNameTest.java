package dev.ferry.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** checkView's hand-written check accepts exactly the names OnlineStore.VIEW_NAME matches. */
class ViewNameTest {

    @Test
    void theCheckAgreesWithThePatternOnChosenNames() {
        for (String name : List.of("credit_history", "credit_history@2", "_x", "a.b-c@10", "A9", "trending@0",
                "9lives", "@2", "x@", "x@2a", "x@@2", "x y", "-x", ".x", "x/y", "é", "x@2@3", "x-@1", "_@1")) {
            assertAgrees(name);
        }
    }

    @Test
    void theCheckAgreesWithThePatternOnRandomNames() {
        String alphabet = "aZ_9.-@ é/";
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = 1 + random.nextInt(6); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertAgrees(b.toString());
        }
    }

    private static void assertAgrees(String name) {
        boolean expected = OnlineStore.VIEW_NAME.matcher(name).matches();
        if (expected) {
            assertThat(OnlineStore.checkView(name)).as(name).isEqualTo(name);
        } else {
            assertThatThrownBy(() -> OnlineStore.checkView(name)).as(name).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(name);
        }
    }
}
