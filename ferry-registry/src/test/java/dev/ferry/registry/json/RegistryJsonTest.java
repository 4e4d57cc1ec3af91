package dev.ferry.registry.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.CodeVersion;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.TrainingData;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.ScalarType;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryJsonTest {

    /** The record stored in src/test/resources/registry-format/v1/model-version.json. */
    static ModelVersion fixture() {
        ModelSignature sig = new ModelSignature(
                List.of(Field.of("age", FeatureType.INT64), Field.required("city", FeatureType.STRING),
                        Field.of("embedding", FeatureType.parse("float32[3]"))),
                InputLayout.PER_FEATURE,
                List.of(TensorSpec.of("age", ScalarType.INT64, -1), TensorSpec.of("city", ScalarType.STRING, -1),
                        TensorSpec.of("embedding", ScalarType.FLOAT32, -1, 3)),
                List.of(TensorSpec.of("probabilities", ScalarType.FLOAT32, -1, 2)),
                Map.of("city", List.of("Bergen", "Oslo")));
        Provenance p = new Provenance(new TrainingData("training-set:credit@3", "sha256:0f1e", Instant.parse("2025-01-01T00:00:00Z"),
                null, 28000), List.of("credit:age"), Map.of("max_depth", "6"), 42L, Map.of("auc", 0.91),
                new CodeVersion("1a2b3c4", true), "run-17");
        GoldenExample g = new GoldenExample(Map.of("age", 41, "city", "Oslo", "embedding", List.of(0.5, 1.0, -2.0)),
                Map.of("probabilities", List.of(0.25, 0.75)), 1e-4);
        return new ModelVersion("credit", 3, ModelFormat.ONNX, "1.23.2", sig,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 1234, "model.onnx", p, List.of(g),
                "alice", Instant.parse("2026-03-01T09:00:00.123456Z"), "retrained");
    }

    @Test
    void aVersionRoundTripsThroughJson() {
        ModelVersion v = fixture();

        assertThat(RegistryJson.readVersion(RegistryJson.writeVersion(v), "test")).isEqualTo(v);
    }

    @Test
    void aFileWrittenInFormatVersionOneStillReads() throws IOException {
        byte[] stored;
        try (InputStream in = getClass().getResourceAsStream("/registry-format/v1/model-version.json")) {
            stored = in.readAllBytes();
        }

        assertThat(RegistryJson.readVersion(stored, "model-version.json")).isEqualTo(fixture());
    }

    @Test
    void anAliasEventRoundTripsWithNullFromVersion() {
        AliasEvent e = new AliasEvent("credit", "champion", null, 3, "bob", Instant.parse("2026-03-01T09:00:00Z"), "release");

        assertThat(RegistryJson.readAliasEvent(RegistryJson.writeAliasEvent(e), "test")).isEqualTo(e);
    }

    @Test
    void anUnknownFormatVersionIsRefusedNamingFoundAndExpected() {
        byte[] json = "{\"formatVersion\": 2, \"model\": \"credit\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RegistryJson.readAliasEvent(json, "events/00000001.json"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("events/00000001.json has formatVersion 2")
                .hasMessageContaining("only formatVersion 1")
                .hasMessageContaining("newer Ferry");
    }

    @Test
    void aDocumentWithoutFormatVersionIsRefused() {
        byte[] json = "{\"model\": \"credit\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RegistryJson.readAliasEvent(json, "x.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("formatVersion null");
    }

    @Test
    void corruptJsonIsAnInvalidInputNamingTheSource() {
        byte[] json = "{\"formatVersion\": 1, ".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RegistryJson.readVersion(json, "versions/000001.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("versions/000001.json is not valid JSON");
    }
}
