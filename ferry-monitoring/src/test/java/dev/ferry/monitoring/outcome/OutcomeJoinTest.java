package dev.ferry.monitoring.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.predictionlog.ParquetPredictionLog;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.testing.MutableClock;
import dev.ferry.types.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutcomeJoinTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dir;

    static LoggedPrediction prediction(String id, Instant at, String arm, boolean shadow, long user, double p) {
        return new LoggedPrediction(id, at, "credit", arm, "credit-model", shadow ? 2 : 1, shadow, Map.of("user_id", user),
                Map.of("country", user % 2 == 0 ? "NO" : "SE"), Map.of("probability", List.of(1 - p, p)));
    }

    @Test
    void anEntityOutcomeJoinsTheLatestPredictionAtOrBeforeItsTimeWithinTheWindow() {
        List<LoggedPrediction> log = List.of(
                prediction("r1", T0, "champion", false, 7, 0.2),
                prediction("r2", T0.plusSeconds(3600), "champion", false, 7, 0.7),
                prediction("r2", T0.plusSeconds(3600), "shadow", true, 7, 0.6),
                prediction("r3", T0.plusSeconds(7200), "champion", false, 7, 0.9));
        OutcomeJoiner joiner = new OutcomeJoiner(log, Duration.ofHours(2));

        List<LoggedPrediction> m = joiner.match(new Outcome(java.util.Optional.empty(), Map.of("user_id", "7"),
                java.util.Optional.of(T0.plusSeconds(5400)), 1));
        assertThat(m).extracting(LoggedPrediction::requestId).containsExactly("r2", "r2");
        assertThat(m).extracting(LoggedPrediction::arm).containsExactly("champion", "shadow");

        assertThat(joiner.match(new Outcome(java.util.Optional.empty(), Map.of("user_id", 7L),
                java.util.Optional.of(T0.plusSeconds(7200)), 1))).extracting(LoggedPrediction::requestId).containsExactly("r3");
        // before the first prediction, and long after the last one: nothing
        assertThat(joiner.match(new Outcome(java.util.Optional.empty(), Map.of("user_id", 7),
                java.util.Optional.of(T0.minusSeconds(1)), 1))).isEmpty();
        assertThat(joiner.match(new Outcome(java.util.Optional.empty(), Map.of("user_id", 7),
                java.util.Optional.of(T0.plusSeconds(7200 + 3 * 3600)), 1))).isEmpty();
    }

    @Test
    void badRecordsAreRejectedNamingFieldValueAndExpectationWithoutStoppingTheRun() throws Exception {
        Path csv = dir.resolve("outcomes.csv");
        Files.writeString(csv, """
                request_id,label,observed_at
                r1,1,2024-05-01 12:00:00
                ,0,2024-05-01 12:00:00
                r2,yes,2024-05-01 12:00:00
                r3,2,2024-05-01 12:00:00
                r4,0,not a time
                unknown,1,2024-05-01 12:00:00
                r5,false,2024-05-01T12:00:00Z
                """, StandardCharsets.UTF_8);
        List<LoggedPrediction> log = List.of(prediction("r1", T0, "champion", false, 1, 0.8),
                prediction("r2", T0, "champion", false, 2, 0.8), prediction("r5", T0, "champion", false, 5, 0.3));
        OutcomeStore store = new OutcomeStore(dir.resolve("store"), new MutableClock(T0));
        OutcomeSchema schema = OutcomeSchema.byRequestId("request_id", "label", LabelKind.BINARY).withTimeField("observed_at");
        IngestReport report;
        try (FileOutcomeSource src = new FileOutcomeSource(csv)) {
            report = new OutcomeIngestor(schema, log, Duration.ofHours(1), store, new MutableClock(T0), 2).ingest(src, n -> { });
        }
        assertThat(report.read()).isEqualTo(7);
        assertThat(report.joined()).isEqualTo(2);
        assertThat(report.unmatched()).isEqualTo(1);
        assertThat(report.rejectedCount()).isEqualTo(4);
        assertThat(report.rejected()).extracting(Rejection::message).containsExactly(
                "outcomes.csv row 2: field 'request_id' was (missing) but a non-empty request id is expected",
                "outcomes.csv row 3: field 'label' was 'yes' but a binary label (0, 1, true or false) is expected",
                "outcomes.csv row 4: field 'label' was '2' but a binary label (0, 1, true or false) is expected",
                "outcomes.csv row 5: field 'observed_at' was 'not a time' but a timestamp (ISO-8601 or yyyy-MM-dd HH:mm:ss, UTC) is expected");
        assertThat(store.readAll()).extracting(j -> j.prediction().requestId() + "=" + j.label())
                .containsExactly("r1=1.0", "r5=0.0");
        assertThat(store.readAll().getFirst().observedAt()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    }

    @Test
    void aNumericLabelOfTheWrongTypeIsRejected() {
        OutcomeParser parser = new OutcomeParser(OutcomeSchema.byRequestId("id", "y", LabelKind.NUMERIC));
        OutcomeParser.Parsed p = parser.parse(SourceRow.of("t row 1", Map.of("id", "a", "y", true)));
        assertThat(p.rejection().message()).isEqualTo("t row 1: field 'y' was true (Boolean) but a finite number is expected");
        assertThat(parser.parse(SourceRow.of("t row 2", Map.of("id", "a", "y", "3.5"))).outcome().label()).isEqualTo(3.5);
    }

    @Test
    void ingestingTheSameOutcomesAgainReplacesRatherThanDuplicates() {
        MutableClock clock = new MutableClock(T0);
        OutcomeStore store = new OutcomeStore(dir.resolve("store"), clock);
        LoggedPrediction p = prediction("r1", T0, "champion", false, 1, 0.8);
        store.append(List.of(new JoinedOutcome(p, T0, 0)));
        clock.advance(Duration.ofSeconds(1));
        store.append(List.of(new JoinedOutcome(p, T0, 1)));
        assertThat(store.readAll()).singleElement().satisfies(j -> assertThat(j.label()).isEqualTo(1.0));
        assertThat(new OutcomeStore(dir.resolve("store"), clock).readAll()).hasSize(1);
    }

    @Test
    void aStoredLineOfAnotherFormatIsRefusedWithBothVersions() throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        Files.writeString(store.resolve("joined-20240501-000000-000-0.jsonl"), "{\"format\":9}\n");
        assertThatThrownBy(() -> new OutcomeStore(store, new MutableClock(T0)).readAll())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 1: format was 9 but only version 1 is understood");
    }

    @Test
    void theParquetPredictionLogReadsBackLikeTheJsonLinesOne() {
        MutableClock clock = new MutableClock(T0);
        Path log = dir.resolve("parquet");
        try (ParquetPredictionLog sink = new ParquetPredictionLog(log, 1000, Duration.ofHours(1), 100, clock,
                Thread.ofPlatform().daemon().factory())) {
            sink.write(List.of(new PredictionRecord("r1", T0, "credit", "champion", "credit-model", 3, false, AnswerSource.MODEL,
                    false, Map.of("user_id", 42L), Row.of("country", "NO", "income", 1200.5),
                    Row.of("probability", List.of(0.25, 0.75)))));
            sink.flush();
        }
        List<LoggedPrediction> read = PredictionLogReader.read(log);
        assertThat(read).singleElement().satisfies(p -> {
            assertThat(p.requestId()).isEqualTo("r1");
            assertThat(p.at()).isEqualTo(T0);
            assertThat(p.version()).isEqualTo(3);
            assertThat(p.entityKey()).isEqualTo("user_id=42");
            assertThat(p.features()).containsEntry("country", "NO").containsEntry("income", 1200.5);
            assertThat(p.output().get("probability")).isEqualTo(List.of(0.25, 0.75));
        });
    }

    @Test
    void aCutLastLineIsSkippedButACorruptLineInTheMiddleIsRefused() throws Exception {
        String good = "{\"format\":1,\"request_id\":\"a\",\"at\":\"2024-05-01T10:00:00Z\",\"deployment\":\"d\",\"arm\":\"main\"}";
        Path f = dir.resolve("predictions-a.jsonl");
        Files.writeString(f, good + "\n{\"format\":1,\"requ");
        assertThat(PredictionLogReader.read(f)).extracting(LoggedPrediction::requestId).containsExactly("a");
        Files.writeString(f, good + "\n{\"format\":1,\"requ\n" + good + "\n");
        assertThatThrownBy(() -> PredictionLogReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 2 is not a JSON object but more lines follow it");
    }

    @Test
    void aPredictionLogLineOfAnotherFormatIsRefused() throws Exception {
        Path f = dir.resolve("predictions-x.jsonl");
        Files.writeString(f, "{\"format\":2,\"request_id\":\"a\",\"at\":\"2024-05-01T10:00:00Z\"}\n");
        assertThatThrownBy(() -> PredictionLogReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 1: format was 2 but only version 1 is understood");
    }
}
