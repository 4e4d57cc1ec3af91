package dev.ferry.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.ModelFormat;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.registry.testing.LinearModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationSpecTest {

    @TempDir
    Path work;

    private Path model() {
        return LinearModels.write(work.resolve("credit.txt"), List.of("age", "income"), 1.0, 0.5, -0.25);
    }

    @Test
    void aYamlSpecGivesGoldenExamplesProvenanceAndMessage() throws IOException {
        Path spec = Files.writeString(work.resolve("credit.yaml"), """
                formatVersion: 1
                message: retrained on October data
                provenance:
                  trainingData: {source: "training-set:credit@3", fingerprint: "sha256:0f1e", from: "2025-01-01T00:00:00Z", rows: 28000}
                  parameters: {max_depth: "6"}
                  seed: 42
                  metrics: {auc: 0.91}
                  code: {commit: 1a2b3c4, dirty: false}
                  runId: run-17
                golden:
                  - inputs: {age: 2, income: 4}
                    expected: {score: 1.0}
                  - inputs: {age: 10.0, income: 0.0}
                    expected: {score: 6.0}
                    tolerance: 1.0e-3
                """);

        RegisterRequest req = RegistrationSpec.request("credit", model(), Optional.empty(), Optional.of(spec), "alice", null);

        assertThat(req.format()).isEqualTo(ModelFormat.LIGHTGBM);
        assertThat(req.message()).isEqualTo("retrained on October data");
        assertThat(req.provenance().seed()).isEqualTo(42L);
        assertThat(req.provenance().trainingData().from()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(req.provenance().code().commit()).isEqualTo("1a2b3c4");
        assertThat(req.golden()).extracting(GoldenExample::tolerance).containsExactly(GoldenExample.DEFAULT_TOLERANCE, 1e-3);
        try (FileModelRegistry registry = FileModelRegistry.open(work.resolve("registry"))) {
            ModelVersion v = registry.register(req);
            assertThat(v.golden()).hasSize(2);
            assertThat(v.provenance().runId()).isEqualTo("run-17");
        }
    }

    @Test
    void aJsonSpecWorksTooAndAWrongGoldenValueIsCaughtAtRegistration() throws IOException {
        Path spec = Files.writeString(work.resolve("credit.json"), """
                {"golden": [{"inputs": {"age": 2, "income": 4}, "expected": {"score": 99.0}}]}""");
        RegisterRequest req = RegistrationSpec.request("credit", model(), Optional.of(ModelFormat.LIGHTGBM), Optional.of(spec), "alice", "m");

        try (FileModelRegistry registry = FileModelRegistry.open(work.resolve("registry"))) {
            assertThatThrownBy(() -> registry.register(req)).isInstanceOf(ValidationFailedException.class)
                    .hasMessageContaining("expected 99.0");
        }
    }

    @Test
    void unknownKeysAndFormatVersionsAreRefused() throws IOException {
        Path typo = Files.writeString(work.resolve("typo.yaml"), "goldens: []\n");
        Path future = Files.writeString(work.resolve("future.yaml"), "formatVersion: 2\n");

        assertThatThrownBy(() -> RegistrationSpec.request("credit", model(), Optional.empty(), Optional.of(typo), "a", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("[goldens]").hasMessageContaining("golden");
        assertThatThrownBy(() -> RegistrationSpec.request("credit", model(), Optional.empty(), Optional.of(future), "a", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("formatVersion 2")
                .hasMessageContaining("only formatVersion 1");
    }

    @Test
    void noSpecMeansNoGoldenExamples() {
        RegisterRequest req = RegistrationSpec.request("credit", model(), Optional.empty(), Optional.empty(), "alice", null);

        assertThat(req.golden()).isEmpty();
        assertThat(req.message()).isEmpty();
    }
}
