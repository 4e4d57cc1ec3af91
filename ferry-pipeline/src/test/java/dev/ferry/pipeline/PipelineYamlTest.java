package dev.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineYamlTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("pipeline.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void aWellFormedPipelineIsReadWithItsStepsRetryAndMatrix() throws Exception {
        Path f = write("""
                pipeline: p
                version: 3
                seed: 11
                params: {rounds: 5}
                steps:
                  - id: data
                    type: source
                    params: {path: data.csv}
                  - id: train
                    type: train-xgboost
                    depends_on: data
                    foreach: {country: [US, DE]}
                    retry: {attempts: 3, backoff: 500ms, multiplier: 2}
                    params: {label: y, rounds: "${params.rounds}"}
                """);
        Pipeline p = PipelineYaml.load(f, StepTypes.load());
        assertThat(p.name()).isEqualTo("p");
        assertThat(p.version()).isEqualTo("3");
        assertThat(p.seed()).isEqualTo(11);
        assertThat(p.steps().get(1).dependsOn()).containsExactly("data");
        assertThat(p.steps().get(1).foreach()).containsEntry("country", java.util.List.of("US", "DE"));
        assertThat(p.steps().get(1).retry()).isEqualTo(new RetryPolicy(3, Duration.ofMillis(500), 2));
        assertThat(Plan.of(p)).extracting(PlannedStep::id).containsExactly("data", "train[country=US]", "train[country=DE]");
        assertThat(Plan.of(p).get(1).params()).containsEntry("rounds", "5");
    }

    @Test
    void anUnknownStepTypeIsRefusedNamingFileStepAndField() throws Exception {
        Path f = write("""
                pipeline: p
                seed: 1
                steps:
                  - id: train
                    type: trian-xgboost
                """);
        assertThatThrownBy(() -> PipelineYaml.load(f, StepTypes.load()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(f.toString() + ": step 'train' field 'type': unknown step type 'trian-xgboost'")
                .hasMessageContaining("train-xgboost");
    }

    @Test
    void aMissingDependencyIsRefusedNamingFileStepAndField() throws Exception {
        Path f = write("""
                pipeline: p
                seed: 1
                steps:
                  - id: evaluate
                    type: evaluate
                    depends_on: [train]
                """);
        assertThatThrownBy(() -> PipelineYaml.load(f, StepTypes.load()))
                .hasMessageContaining(f + ": step 'evaluate' field 'depends_on': step 'train' does not exist");
    }

    @Test
    void aCycleIsRefusedWithTheStepsOnIt() throws Exception {
        Path f = write("""
                pipeline: p
                seed: 1
                steps:
                  - {id: a, type: evaluate, depends_on: [c]}
                  - {id: b, type: evaluate, depends_on: [a]}
                  - {id: c, type: evaluate, depends_on: [b]}
                """);
        assertThatThrownBy(() -> PipelineYaml.load(f, StepTypes.load()))
                .hasMessageContaining(f + ": step 'a' field 'depends_on': the dependencies form a cycle: a -> c -> b -> a");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Path f = write("""
                pipeline: p
                seeed: 1
                steps:
                  - id: t
                    type: train-xgboost
                    retry: {attempts: 0, backoff: soon}
                    params: {rounds: "${params.missing}"}
                """);
        assertThatThrownBy(() -> PipelineYaml.load(f, StepTypes.load()))
                .hasMessageContaining(f + ": field 'seeed': unknown field")
                .hasMessageContaining(f + ": field 'seed': missing")
                .hasMessageContaining("step 't' field 'retry.attempts': was '0'")
                .hasMessageContaining("step 't' field 'retry.backoff': was 'soon'");
        Path g = write("""
                pipeline: p
                seed: 1
                steps:
                  - id: t
                    type: train-xgboost
                    params: {rounds: "${params.missing}"}
                """);
        assertThatThrownBy(() -> PipelineYaml.load(g, StepTypes.load()))
                .hasMessageContaining("step 't' field 'params.label': missing; step type train-xgboost requires it")
                .hasMessageContaining("step 't' field 'params': ${params.missing} names a pipeline parameter that is not defined");
    }

    @Test
    void aBuiltPipelineIsCheckedTheSameWayAndItsDefinitionReadsBackAsYaml() {
        assertThatThrownBy(() -> Pipeline.builder("b").seed(1)
                .step(StepSpec.builder("x", "evaluate").dependsOn("y").build()).build())
                .hasMessageContaining("builder: step 'x' field 'depends_on': step 'y' does not exist");
        assertThatThrownBy(() -> Pipeline.builder("b").step(StepSpec.builder("x", "evaluate").build()).build())
                .hasMessageContaining("has no seed");
        Pipeline built = Pipeline.builder("b").seed(5).param("k", "v")
                .step(StepSpec.builder("x", "source").param("path", "f.csv").retry(new RetryPolicy(2, Duration.ofSeconds(1), 1)).build())
                .build();
        Pipeline back = PipelineYaml.parse(built.definition(), "record", Path.of(""), StepTypes.load());
        assertThat(back.steps()).isEqualTo(built.steps());
        assertThat(back.params()).isEqualTo(built.params());
        assertThat(back.seed()).isEqualTo(5);
    }
}
