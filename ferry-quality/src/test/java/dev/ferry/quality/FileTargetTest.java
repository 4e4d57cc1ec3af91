package dev.ferry.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain CSV file (a copy of the committed loan table sample) checked without any feature view:
 * column types come from DuckDB's detection, so a column whose values turn to text is a changed type.
 */
class FileTargetTest {

    @TempDir
    Path dir;

    Path csv;
    CsvTable original;
    OfflineStore store;
    FeatureRegistry registry;
    QualityHistory history;
    QualityChecks checks;

    @BeforeEach
    void setUp() throws Exception {
        csv = dir.resolve("loans.csv");
        Files.copy(CreditRepo.EXAMPLE_DATA.resolve("loan_table_sample.csv"), csv);
        original = CsvTable.read(csv);
        registry = FeatureRegistry.open(dir.resolve("features"));
        store = OfflineStore.open(registry);
        history = QualityHistory.open(dir.resolve("history"));
        Files.writeString(dir.resolve("quality.yaml"), """
                checks:
                  - file: loans.csv
                    freshness: {column: event_timestamp, max_age: 60d}
                    unique: [loan_id]
                    columns:
                      loan_status: {allowed: [0, 1]}
                      person_age: {min: 18, max: 120}
                """);
        checks = QualityChecks.load(dir.resolve("quality.yaml")).requireValid(registry, store);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void theSamplePassesWithDetectedTypesAndItsNewestLoanTime() {
        QualityReport r = run();

        assertThat(r.results()).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isEqualTo(Status.PASS));
        Metrics m = history.runs("loans").get(0).metrics();
        assertThat(m.rows()).isEqualTo(original.rows().size());
        assertThat(m.columns().get("person_age").type()).isEqualTo("BIGINT");
        assertThat(m.columns().get("event_timestamp").type()).isEqualTo("TIMESTAMP WITH TIME ZONE");
        String newest = original.rows().stream().map(x -> x.get(original.col("event_timestamp"))).max(String::compareTo).orElseThrow();
        assertThat(m.newest()).contains(Instant.parse(newest.replace(" ", "T").replace("+00:00", "Z")));
    }

    @Test
    void aColumnWhoseValuesTurnToTextIsAChangedType() throws Exception {
        run();
        original.withValue("person_age", 10, "unknown").write(csv);

        QualityReport r = run();

        assertThat(QualityGateTest.result(r, "schema").observed()).isEqualTo("person_age changed type from BIGINT to VARCHAR");
        assertThat(QualityGateTest.result(r, "schema").status()).isEqualTo(Status.FAIL);
        assertThat(QualityGateTest.result(r, "range:person_age").observed()).isEqualTo("person_age is VARCHAR now");
        assertThat(QualityGateTest.result(r, "range:person_age").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aNewColumnIsASchemaChange() throws Exception {
        run();
        List<String> lines = Files.readAllLines(csv);
        Files.write(csv, java.util.stream.IntStream.range(0, lines.size()).mapToObj(i -> lines.get(i) + (i == 0 ? ",channel" : ",web")).toList());

        assertThat(QualityGateTest.result(run(), "schema").observed()).isEqualTo("new columns [channel]");
    }

    private QualityReport run() {
        return QualityGate.create(store, registry, history, Clock.fixed(Instant.parse("2021-09-01T00:00:00Z"), ZoneOffset.UTC)).run(checks, List.of());
    }
}
