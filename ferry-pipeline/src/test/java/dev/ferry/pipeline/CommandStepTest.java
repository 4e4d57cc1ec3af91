package dev.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.pipeline.runs.FileRunStore;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStatus;
import dev.ferry.pipeline.runs.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandStepTest {

    @TempDir
    Path dir;

    private PipelineRunner runner() {
        return PipelineRunner.builder(PipelineEnvironment.builder(dir.resolve("data")).build(), FileRunStore.open(dir.resolve("data/runs")))
                .build();
    }

    private Path pipeline(String outputs) throws Exception {
        Files.writeString(dir.resolve("train.sh"), """
                #!/bin/sh
                set -e
                echo "training with seed $FERRY_SEED and depth $FERRY_PARAM_DEPTH"
                cat input.csv | wc -l > "$FERRY_OUTPUT_DIR/rows.txt"
                echo "seed=$FERRY_SEED depth=$FERRY_PARAM_DEPTH" > "$FERRY_OUTPUT_DIR/model.txt"
                """);
        Files.writeString(dir.resolve("input.csv"), "a\nb\nc\n");
        Path f = dir.resolve("pipeline.yaml");
        Files.writeString(f, """
                pipeline: script
                seed: 9
                steps:
                  - id: train
                    type: command
                    inputs: [train.sh, input.csv]
                    params:
                      command: [sh, train.sh]
                      depth: 4
                      outputs: %s
                  - id: package
                    type: command
                    depends_on: [train]
                    params:
                      command: [cp, "${upstream:model.txt}", "${output}/packaged.txt"]
                      outputs: [packaged.txt]
                """.formatted(outputs));
        return f;
    }

    @Test
    void aScriptRunsWithItsSeedAndParametersAndItsDeclaredOutputsAreKept() throws Exception {
        PipelineRunner runner = runner();
        Path f = pipeline("[model.txt, rows.txt]");
        RunRecord r = runner.run(PipelineYaml.load(f, runner.types()), RunOptions.defaults());

        assertThat(r.failure()).isNull();
        var train = r.step("train").orElseThrow();
        assertThat(train.inputs()).containsKeys("train.sh", "input.csv");
        assertThat(train.outputs()).containsOnlyKeys("model.txt", "rows.txt");
        assertThat(Files.readString(runner.objects().path(train.outputs().get("model.txt")))).isEqualTo("seed=9 depth=4\n");
        assertThat(Files.readString(Path.of(train.log()))).contains("training with seed 9 and depth 4");
        assertThat(Files.readString(runner.objects().path(r.step("package").orElseThrow().outputs().get("packaged.txt"))))
                .isEqualTo("seed=9 depth=4\n");

        // Same row count, other content: train runs again, its outputs come out the same, so package is reused.
        Files.writeString(dir.resolve("input.csv"), "x\ny\nz\n");
        RunRecord again = runner.run(PipelineYaml.load(f, runner.types()), RunOptions.defaults());
        assertThat(again.step("train").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(again.step("package").orElseThrow().status()).isEqualTo(StepStatus.CACHED);
    }

    @Test
    void aMissingDeclaredOutputFailsTheStepNamingIt() throws Exception {
        PipelineRunner runner = runner();
        RunRecord r = runner.run(PipelineYaml.load(pipeline("[model.txt, weights.bin]"), runner.types()), RunOptions.defaults());
        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.failedStep()).isEqualTo("train");
        assertThat(r.failure()).contains("did not write its declared output weights.bin");
        assertThat(r.step("package").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    }
}
