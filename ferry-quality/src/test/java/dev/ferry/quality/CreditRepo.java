package dev.ferry.quality;

import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.OfflineStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A feature repository over a copy of the Feast credit history sample in a temporary folder, so a
 * test can damage the copy between runs. The clock stands a few days after the sample's snapshot.
 */
final class CreditRepo implements AutoCloseable {

    static final Path EXAMPLE_DATA = Path.of("..", "examples", "credit", "data").toAbsolutePath().normalize();
    static final Instant NOW = Instant.parse("2020-05-01T00:00:00Z");

    final Path dir;
    final Path csv;
    final FeatureRegistry registry;
    final OfflineStore store;
    final QualityHistory history;
    final CsvTable original;

    CreditRepo(Path dir, Path sample) throws IOException {
        this.dir = dir;
        this.csv = dir.resolve("credit_history.csv");
        Files.copy(sample, csv);
        this.original = CsvTable.read(csv);
        Files.writeString(dir.resolve("features.yaml"), """
                entities:
                  - name: dob_ssn
                    join_keys: {dob_ssn: string}
                sources:
                  - name: credit_history_table
                    csv: credit_history.csv
                views:
                  - name: credit_history
                    entities: [dob_ssn]
                    source: credit_history_table
                    event_time: event_timestamp
                    created_time: created_timestamp
                    features:
                      credit_card_due: int64
                      mortgage_due: int64
                      student_loan_due: int64
                      vehicle_loan_due: int64
                      hard_pulls: int64
                      missed_payments_2y: int64
                      missed_payments_1y: int64
                      missed_payments_6m: int64
                      bankruptcies: int64
                """);
        this.registry = FeatureRegistry.open(dir.resolve("data").resolve("features"));
        registry.apply(FeatureRepository.load(dir.resolve("features.yaml")));
        this.store = OfflineStore.open(registry);
        this.history = QualityHistory.inDataDir(dir.resolve("data"));
    }

    QualityGate gate() {
        return QualityGate.create(store, registry, history, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    QualityChecks checks(String yaml) throws IOException {
        Path f = dir.resolve("quality.yaml");
        Files.writeString(f, yaml);
        return QualityChecks.load(f).requireValid(registry, store);
    }

    QualityReport run(QualityChecks checks, AllowedFailure... allowed) {
        return gate().run(checks, List.of(allowed));
    }

    void replace(CsvTable table) throws IOException {
        table.write(csv);
    }

    @Override
    public void close() {
        store.close();
    }
}
