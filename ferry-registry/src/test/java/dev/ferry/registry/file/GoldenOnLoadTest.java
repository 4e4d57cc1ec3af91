package dev.ferry.registry.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ValidationFailedException;
import dev.ferry.model.ModelFormat;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.store.RegistryModels;
import dev.ferry.registry.testing.LinearModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading runs the golden examples again: a version whose stored expectation no longer holds never becomes ready. */
class GoldenOnLoadTest {

    @TempDir
    Path work;

    @Test
    void aGoldenExampleThatNoLongerHoldsStopsTheLoad() throws IOException {
        Path root = work.resolve("registry");
        try (FileModelRegistry registry = FileModelRegistry.open(root)) {
            Path model = LinearModels.write(work.resolve("m.txt"), List.of("age", "income"), 1.0, 0.5, -0.25);
            registry.register(new RegisterRequest("credit", model, ModelFormat.LIGHTGBM, Optional.empty(), null,
                    List.of(new GoldenExample(Map.of("age", 2.0, "income", 4.0), Map.of("score", 1.0), 1e-9)), "alice", ""));
            // Stands in for a runtime upgrade that changes predictions: the pinned expectation differs from today's output.
            Path file = root.resolve("models/credit/versions/000001.json");
            Files.writeString(file, Files.readString(file).replace("\"score\" : 1.0", "\"score\" : 1.5"));

            assertThatThrownBy(() -> RegistryModels.load(registry, "credit", "1"))
                    .isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("credit@1 failed validation on load")
                    .hasMessageContaining("expected 1.5");
            assertThat(registry.version("credit", 1).golden().get(0).expected()).containsEntry("score", 1.5);
        }
    }
}
