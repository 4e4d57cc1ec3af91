package dev.ferry.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRolloutStoreTest extends RolloutStoreContract {

    @TempDir
    Path dir;

    @Override
    RolloutStore open() {
        return FileRolloutStore.open(dir.resolve("rollouts"));
    }

    @Test
    void writesLeaveNoTemporaryFilesBehind() throws Exception {
        store.create(state("credit-1", "credit", T0));
        store.update(store.get("credit-1").orElseThrow().withPaused(true, T0, "bob", "hold")).orElseThrow();
        try (var files = Files.list(dir.resolve("rollouts"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".lock", "credit-1.json");
        }
    }

    @Test
    void aStateInAnUnknownFormatIsRefusedWithBothNumbers() throws Exception {
        store.create(state("credit-1", "credit", T0));
        Path file = dir.resolve("rollouts").resolve("credit-1.json");
        Files.writeString(file, Files.readString(file).replace("\"format\":1", "\"format\":7"));
        assertThatThrownBy(() -> store.get("credit-1")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("format 7").hasMessageContaining("only format 1");
    }
}
