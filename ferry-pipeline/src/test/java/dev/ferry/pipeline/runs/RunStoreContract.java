package dev.ferry.pipeline.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.registry.CodeVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RunStore} must do; each implementation's test extends this. */
public abstract class RunStoreContract {

    protected RunStore store;

    protected abstract RunStore open();

    /** Writes a record of an unknown format under {@code id}, as a newer Ferry would. */
    protected abstract void writeForeignFormat(String id);

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static RunRecord run(String id, Instant started, RunStatus status) {
        StepRecord train = new StepRecord("train[country=DE]", "train-xgboost", 1, Map.of("country", "DE"),
                status == RunStatus.FAILED ? StepStatus.FAILED : StepStatus.SUCCEEDED, 2, "ab".repeat(32), 42,
                Map.of("rounds", "50"), Map.of("data/loans.csv", "cd".repeat(32)), Map.of("model.json", "ef".repeat(32)),
                Map.of("auc", 0.8125), Map.of("objective", "binary:logistic"), started, 1234, "/tmp/train.log",
                status == RunStatus.FAILED ? "XGBoost refused the data" : null);
        StepRecord skipped = StepRecord.skipped("register", "register", 1, Map.of(), 42);
        return new RunRecord(RunRecord.FORMAT, id, "credit-risk", "2", "/repo/pipeline.yaml", "pipeline: credit-risk\n", "/repo",
                Map.of("rounds", "50"), 42, false, null, "a message", status, status == RunStatus.FAILED ? "train[country=DE]" : null,
                status == RunStatus.FAILED ? "XGBoost refused the data" : null, started, started.plusSeconds(5),
                new CodeVersion("0123456789abcdef0123456789abcdef01234567", true), Map.of("java.version", "21", "xgboost4j", "3.4.0"),
                List.of(train, skipped));
    }

    @Test
    void aSavedRunReadsBackEqual() {
        RunRecord r = run("20260101-000000-aaaaaaaa", Instant.parse("2026-01-01T00:00:00Z"), RunStatus.FAILED);
        store.save(r);
        assertThat(store.get(r.id())).isEqualTo(r);
    }

    @Test
    void savingAgainReplacesTheRecord() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        store.save(run("r1", t, RunStatus.RUNNING));
        store.save(run("r1", t, RunStatus.SUCCEEDED));
        assertThat(store.get("r1").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void runsAreListedNewestFirst() {
        store.save(run("old", Instant.parse("2026-01-01T00:00:00Z"), RunStatus.SUCCEEDED));
        store.save(run("new", Instant.parse("2026-03-01T00:00:00Z"), RunStatus.SUCCEEDED));
        store.save(run("mid", Instant.parse("2026-02-01T00:00:00Z"), RunStatus.FAILED));
        assertThat(store.list()).extracting(RunRecord::id).containsExactly("new", "mid", "old");
    }

    @Test
    void anUnknownRunIsNotFound() {
        assertThat(store.find("nope")).isEmpty();
        assertThatThrownBy(() -> store.get("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("run 'nope'");
    }

    @Test
    void aMalformedRunIdIsRefused() {
        assertThatThrownBy(() -> store.find("../etc/passwd")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("run id was '../etc/passwd'");
    }

    @Test
    void aRecordOfAnUnknownFormatIsRefusedNamingBothFormats() {
        writeForeignFormat("future");
        assertThatThrownBy(() -> store.get("future")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("format 99").hasMessageContaining("reads format " + RunRecord.FORMAT);
    }

    @Test
    void lineageFindsTheRunOfAModelAndTheModelsOfADataset() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        RunRecord base = run("r1", t, RunStatus.SUCCEEDED);
        StepRecord register = new StepRecord("register", "register", 1, Map.of(), StepStatus.SUCCEEDED, 1, "k", 42, Map.of(), Map.of(),
                Map.of(), Map.of(), Map.of(Lineage.MODEL, "credit-risk", Lineage.MODEL_VERSION, "3"), t, 10, null, null);
        store.save(new RunRecord(base.format(), base.id(), base.pipeline(), base.pipelineVersion(), base.origin(), base.definition(),
                base.baseDir(), base.params(), base.seed(), false, null, "", RunStatus.SUCCEEDED, null, null, t, t, base.code(),
                base.environment(), List.of(base.steps().get(0), register)));
        Lineage lineage = new Lineage(store);
        assertThat(lineage.ofModel("credit-risk", 3)).hasValueSatisfying(o -> {
            assertThat(o.run().id()).isEqualTo("r1");
            assertThat(o.registerStep().id()).isEqualTo("register");
        });
        assertThat(lineage.ofModel("credit-risk", 4)).isEmpty();
        assertThat(lineage.modelsTrainedOn("sha256:" + "cd".repeat(32)))
                .containsExactly(new Lineage.TrainedModel("credit-risk", 3, "r1", "register"));
        assertThat(lineage.modelsTrainedOn("loans.csv")).hasSize(1);
        assertThat(lineage.modelsTrainedOn("other.csv")).isEmpty();
    }
}
