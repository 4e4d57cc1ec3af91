package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.server.ServerExtension;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** {@code ferry serve} and the demo build their servers without naming extensions, so the console and staged rollouts come from the class path. */
class ConsoleMountTest {

    @Test
    void theCliClassPathCarriesTheWebConsole() {
        assertThat(ServiceLoader.load(ServerExtension.class).stream().map(p -> p.type().getName()))
                .containsExactlyInAnyOrder("dev.ferry.console.Console", "dev.ferry.rollout.RolloutExtension");
    }
}
