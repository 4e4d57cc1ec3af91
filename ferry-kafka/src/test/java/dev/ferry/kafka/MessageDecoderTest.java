package dev.ferry.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.features.CsvSource;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.RegisteredView;
import dev.ferry.online.EntityKey;
import dev.ferry.types.Field;
import dev.ferry.types.FeatureType;
import dev.ferry.types.ScalarType;
import dev.ferry.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageDecoderTest {

    static final FeatureView VIEW = new FeatureView("trips", List.of("driver", "city"),
            Schema.of(List.of(Field.required("count", FeatureType.INT32), Field.of("score", FeatureType.FLOAT32),
                    Field.required("vec", FeatureType.parse("float64[2]")))),
            CsvSource.of(Path.of("unused.csv")), "ts", Optional.empty(), Optional.empty(), true, Map.of(), "");
    static final ViewTarget TARGET = new ViewTarget("t", new RegisteredView(VIEW, 3, Instant.EPOCH),
            List.of(new JoinKey("driver_id", ScalarType.INT32), new JoinKey("city", ScalarType.STRING)));

    static MessageDecoder.Decoded decode(String json) {
        return MessageDecoder.decode(TARGET, json.getBytes(StandardCharsets.UTF_8));
    }

    static Rejection rejected(String json) {
        return ((MessageDecoder.Rejected) decode(json)).rejection();
    }

    @Test
    void aValidMessageBecomesATypedRecordKeyedByEveryJoinKeyInOrder() {
        var a = (MessageDecoder.Accepted) decode("{\"city\": \"porto\", \"driver_id\": 7, \"ts\": 1740830400000, \"count\": 3,"
                + " \"score\": 0.5, \"vec\": [1, 2.5], \"extra\": true}");

        assertThat(a.record().key()).isEqualTo(EntityKey.of(7L, "porto"));
        assertThat(a.record().eventTime()).isEqualTo(Instant.ofEpochMilli(1740830400000L));
        assertThat(a.record().values()).containsOnlyKeys("count", "score", "vec");
        assertThat(a.record().values().get("count")).isEqualTo(3);
        assertThat(a.record().values().get("score")).isEqualTo(0.5f);
        assertThat((double[]) a.record().values().get("vec")).containsExactly(1.0, 2.5);
        assertThat(a.keys()).containsEntry("driver_id", 7).containsEntry("city", "porto");
    }

    @Test
    void anIsoEventTimeWithAnOffsetIsReadAsThatInstant() {
        var a = (MessageDecoder.Accepted) decode("{\"city\": \"a\", \"driver_id\": 1, \"ts\": \"2025-03-01T13:00:00+01:00\","
                + " \"count\": 1, \"score\": null, \"vec\": [0, 0]}");
        assertThat(a.record().eventTime()).isEqualTo(Instant.parse("2025-03-01T12:00:00Z"));
        assertThat(a.record().values().get("score")).isNull();
    }

    @Test
    void aNullRequiredFeatureIsRejectedNamingTheFieldAndTheRequiredType() {
        Rejection r = rejected("{\"city\": \"a\", \"driver_id\": 1, \"ts\": 0, \"count\": null, \"score\": 1, \"vec\": [0, 0]}");
        assertThat(r.field()).isEqualTo("count");
        assertThat(r.value()).isEqualTo("null");
        assertThat(r.expected()).isEqualTo("int32 (required)");
    }

    @Test
    void anIntegerOutOfRangeForItsTypeIsRejectedWithTheValue() {
        Rejection r = rejected("{\"city\": \"a\", \"driver_id\": 1, \"ts\": 0, \"count\": 3000000000, \"score\": 1, \"vec\": [0, 0]}");
        assertThat(r.field()).isEqualTo("count");
        assertThat(r.value()).isEqualTo("3000000000");
        assertThat(r.reason()).contains("out of range for int32");
    }

    @Test
    void aFractionalJoinKeyIsRejected() {
        Rejection r = rejected("{\"city\": \"a\", \"driver_id\": 1.5, \"ts\": 0, \"count\": 1, \"score\": 1, \"vec\": [0, 0]}");
        assertThat(r.field()).isEqualTo("driver_id");
        assertThat(r.expected()).isEqualTo("int32");
    }

    @Test
    void anEventTimeWithoutAZoneIsRejectedBecauseItsInstantWouldBeAGuess() {
        Rejection r = rejected("{\"city\": \"a\", \"driver_id\": 1, \"ts\": \"2025-03-01T12:00:00\", \"count\": 1, \"score\": 1, \"vec\": [0, 0]}");
        assertThat(r.field()).isEqualTo("ts");
        assertThat(r.reason()).contains("ISO-8601 with a zone");
    }

    @Test
    void aTombstoneIsRejectedRatherThanDroppedSilently() {
        Rejection r = ((MessageDecoder.Rejected) MessageDecoder.decode(TARGET, null)).rejection();
        assertThat(r.field()).isEqualTo("$");
        assertThat(r.reason()).contains("tombstone");
    }

    @Test
    void aConfigReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> StreamIngestConfig.builder().deadLetterTopic("in").topic("in", "v").maxPollRecords(0).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bootstrapServers").hasMessageContaining("groupId")
                .hasMessageContaining("also an input topic").hasMessageContaining("maxPollRecords was 0");
    }
}
