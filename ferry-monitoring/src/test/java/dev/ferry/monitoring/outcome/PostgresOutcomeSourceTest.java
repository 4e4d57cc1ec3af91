package dev.ferry.monitoring.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.testing.MutableClock;
import dev.ferry.testkit.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresOutcomeSourceTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void outcomesInATableJoinByEntityAndTimeAndBadRowsAreRejected() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE loan_outcomes (user_id BIGINT, defaulted_at TIMESTAMPTZ, defaulted TEXT)");
            s.execute("INSERT INTO loan_outcomes VALUES"
                    + " (1, '2024-05-01 10:30:00+00', '1'),"
                    + " (2, '2024-05-01 12:30:00+02', 'false'),"
                    + " (NULL, '2024-05-01 10:30:00+00', '1'),"
                    + " (3, '2024-05-01 10:30:00+00', 'maybe'),"
                    + " (4, '2024-05-01 10:30:00+00', '0')");
        }
        List<LoggedPrediction> log = List.of(
                OutcomeJoinTest.prediction("r1", T0, "champion", false, 1, 0.9),
                OutcomeJoinTest.prediction("r2", T0, "champion", false, 2, 0.1),
                OutcomeJoinTest.prediction("r3", T0, "champion", false, 3, 0.5));
        MutableClock clock = new MutableClock(T0);
        OutcomeStore store = new OutcomeStore(dir, clock);
        OutcomeSchema schema = OutcomeSchema.byEntity(List.of("user_id"), "defaulted_at", "defaulted", LabelKind.BINARY);
        IngestReport report;
        try (PostgresOutcomeSource src = new PostgresOutcomeSource(db.jdbcUrl(), db.user(), db.password(), "loan_outcomes")) {
            report = new OutcomeIngestor(schema, log, Duration.ofHours(1), store, clock, 100).ingest(src, n -> { });
        }
        assertThat(report.joined()).isEqualTo(2);
        assertThat(report.unmatched()).isEqualTo(1);
        assertThat(report.rejected()).extracting(Rejection::message).containsExactly(
                "loan_outcomes row 3: field 'user_id' was (missing) but an entity key is expected",
                "loan_outcomes row 4: field 'defaulted' was 'maybe' but a binary label (0, 1, true or false) is expected");
        assertThat(store.readAll()).extracting(j -> j.prediction().requestId() + "=" + j.label() + "@" + j.observedAt())
                .containsExactly("r1=1.0@2024-05-01T10:30:00Z", "r2=0.0@2024-05-01T10:30:00Z");
    }

    @Test
    void aTableNameThatIsNotANameIsRefused() {
        assertThatThrownBy(() -> new PostgresOutcomeSource("jdbc:postgresql://127.0.0.1/x", "u", "", "x; DROP TABLE y"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("outcome table was 'x; DROP TABLE y' but a table name like outcomes or schema.outcomes is expected");
    }
}
