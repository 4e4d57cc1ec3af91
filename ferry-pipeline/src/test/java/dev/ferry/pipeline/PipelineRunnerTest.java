package dev.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.pipeline.runs.FileRunStore;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStatus;
import dev.ferry.pipeline.runs.StepRecord;
import dev.ferry.pipeline.runs.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunnerTest {

    @TempDir
    Path dir;

    private final TestSteps steps = new TestSteps();
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private FileRunStore store;

    @BeforeEach
    void setUp() throws Exception {
        store = FileRunStore.open(dir.resolve("data/runs"));
        Files.writeString(dir.resolve("a.txt"), "alpha");
        Files.writeString(dir.resolve("b.txt"), "beta");
    }

    private PipelineRunner runner(int workers, StepType... extra) {
        return PipelineRunner.builder(PipelineEnvironment.builder(dir.resolve("data")).build(), store)
                .types(StepTypes.load().with(steps.write(), steps.flaky()).with(extra))
                .workers(workers).sleeper(sleeps::add).build();
    }

    /** a reads a.txt, b reads b.txt; c after a; d after b; e after c and d. */
    private Pipeline diamond() {
        return Pipeline.builder("diamond").seed(7).baseDir(dir)
                .step(StepSpec.builder("a", "write").param("file", "a.txt").build())
                .step(StepSpec.builder("b", "write").param("file", "b.txt").build())
                .step(StepSpec.builder("c", "write").dependsOn("a").build())
                .step(StepSpec.builder("d", "write").dependsOn("b").build())
                .step(StepSpec.builder("e", "write").dependsOn("c", "d").build())
                .build();
    }

    private static Map<String, StepStatus> statuses(RunRecord r) {
        Map<String, StepStatus> m = new java.util.LinkedHashMap<>();
        r.steps().forEach(s -> m.put(s.id(), s.status()));
        return m;
    }

    @Test
    void aSecondRunOnUnchangedInputsReusesEveryStepFromTheCache() {
        PipelineRunner runner = runner(2);
        RunRecord first = runner.run(diamond(), RunOptions.defaults());
        RunRecord second = runner.run(diamond(), RunOptions.defaults());

        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(statuses(first).values()).containsOnly(StepStatus.SUCCEEDED);
        assertThat(statuses(second).values()).containsOnly(StepStatus.CACHED);
        assertThat(steps.runs).allSatisfy((id, n) -> assertThat(n.get()).as(id).isEqualTo(1));
        assertThat(second.outputs()).isEqualTo(first.outputs());
        assertThat(second.metrics()).isEqualTo(first.metrics());
    }

    @Test
    void aChangedInputRerunsExactlyTheStepsThatDependOnIt() throws Exception {
        PipelineRunner runner = runner(2);
        RunRecord first = runner.run(diamond(), RunOptions.defaults());
        Files.writeString(dir.resolve("a.txt"), "alpha, edited");
        RunRecord second = runner.run(diamond(), RunOptions.defaults());

        assertThat(statuses(second)).containsExactly(Map.entry("a", StepStatus.SUCCEEDED), Map.entry("b", StepStatus.CACHED),
                Map.entry("c", StepStatus.SUCCEEDED), Map.entry("d", StepStatus.CACHED), Map.entry("e", StepStatus.SUCCEEDED));
        assertThat(second.step("a").orElseThrow().inputs().get("a.txt")).isEqualTo(Hashes.text("alpha, edited"))
                .isNotEqualTo(first.step("a").orElseThrow().inputs().get("a.txt"));
        assertThat(steps.runs("b")).isEqualTo(1);
        assertThat(steps.runs("e")).isEqualTo(2);
    }

    @Test
    void forceRunsEveryStepAgain() {
        PipelineRunner runner = runner(2);
        runner.run(diamond(), RunOptions.defaults());
        RunRecord forced = runner.run(diamond(), RunOptions.defaults().force(true));
        assertThat(statuses(forced).values()).containsOnly(StepStatus.SUCCEEDED);
        assertThat(forced.forced()).isTrue();
    }

    @Test
    void aChangedParameterChangesTheCacheKey() {
        PipelineRunner runner = runner(1);
        Pipeline p = Pipeline.builder("p").seed(1).baseDir(dir).param("text", "one")
                .step(StepSpec.builder("s", "write").param("text", "${params.text}").build()).build();
        runner.run(p, RunOptions.defaults());
        RunRecord again = runner.run(p, RunOptions.defaults().params(Map.of("text", "two")));
        assertThat(again.step("s").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(again.step("s").orElseThrow().params()).containsEntry("text", "two");
        assertThat(again.params()).containsEntry("text", "two");
    }

    @Test
    void aFailingStepIsRetriedWithItsBackoffUntilItSucceeds() {
        Pipeline p = Pipeline.builder("retry").seed(1).baseDir(dir)
                .step(StepSpec.builder("flaky", "flaky").param("fail", 2)
                        .retry(new RetryPolicy(3, Duration.ofSeconds(2), 2)).build()).build();
        RunRecord r = runner(1).run(p, RunOptions.defaults());

        StepRecord s = r.step("flaky").orElseThrow();
        assertThat(s.status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(s.attempts()).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void theFirstStepThatCannotSucceedStopsTheRunAndIsNamedWithItsReason() throws Exception {
        Pipeline p = Pipeline.builder("stop").seed(1).baseDir(dir)
                .step(StepSpec.builder("broken", "flaky").param("fail", 5).retry(new RetryPolicy(2, Duration.ZERO, 1)).build())
                .step(StepSpec.builder("after", "write").dependsOn("broken").build())
                .step(StepSpec.builder("independent", "write").build())
                .build();
        RunRecord r = runner(1).run(p, RunOptions.defaults());

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failedStep()).isEqualTo("broken");
        assertThat(r.failure()).contains("failed 2 tries").contains("transient failure 2");
        assertThat(statuses(r)).containsExactly(Map.entry("broken", StepStatus.FAILED), Map.entry("after", StepStatus.SKIPPED),
                Map.entry("independent", StepStatus.SKIPPED));
        assertThat(steps.runs("independent")).isZero();
        assertThat(Files.readString(Path.of(r.step("broken").orElseThrow().log()))).contains("transient failure 1", "transient failure 2");
        assertThat(store.get(r.id())).isEqualTo(r);
    }

    @Test
    void aForeachFansOutInParallelAndPairsDependentsValueByValue() {
        CountDownLatch together = new CountDownLatch(4);
        Pipeline p = Pipeline.builder("fan").seed(3).baseDir(dir)
                .step(StepSpec.builder("slice", "latch").foreach("country", "US", "DE", "FR", "NO").param("value", "${foreach.country}").build())
                .step(StepSpec.builder("report", "write").foreach("country", "US", "DE", "FR", "NO").dependsOn("slice").build())
                .step(StepSpec.builder("all", "write").dependsOn("slice").param("text", "all").build())
                .build();
        RunRecord r = runner(4, steps.latch(together)).run(p, RunOptions.defaults());

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(statuses(r).keySet()).containsExactly("slice[country=US]", "slice[country=DE]", "slice[country=FR]",
                "slice[country=NO]", "report[country=US]", "report[country=DE]", "report[country=FR]", "report[country=NO]", "all");
        assertThat(r.step("slice[country=DE]").orElseThrow().bindings()).containsEntry("country", "DE");
        assertThat(r.step("report[country=DE]").orElseThrow().inputs()).containsOnlyKeys("step:slice[country=DE]/out.txt");
        assertThat(r.step("all").orElseThrow().inputs()).hasSize(4);
    }

    @Test
    void everyRunRecordsItsSeedParametersEnvironmentAndTimings() {
        RunRecord r = runner(2).run(diamond(), RunOptions.defaults().message("first try"));
        assertThat(r.seed()).isEqualTo(7);
        assertThat(r.message()).isEqualTo("first try");
        assertThat(r.environment()).containsKeys("java.version", "ferry", "xgboost4j", "duckdb");
        assertThat(r.finishedAt()).isAfterOrEqualTo(r.startedAt());
        assertThat(r.steps()).allSatisfy(s -> {
            assertThat(s.seed()).isEqualTo(7);
            assertThat(s.typeVersion()).isEqualTo(1);
            assertThat(Path.of(s.log())).exists();
            assertThat(s.cacheKey()).hasSize(64);
        });
        assertThat(r.definition()).contains("\"pipeline\" : \"diamond\"");
    }
}
