package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.model.RowTensors;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {

    @TempDir
    Path dir;

    private Path model;
    private Path inputs;
    private Path expected;

    /** A small XGBoost model with golden CSVs whose expected column comes from XGBoost4J itself. */
    @BeforeEach
    void trainAModel() throws Exception {
        var signature = XGBoostTrainer.signature(List.of(Field.of("a", FeatureType.FLOAT64), Field.of("b", FeatureType.INT64)), Map.of());
        Random random = new Random(5);
        List<Row> rows = new ArrayList<>();
        float[] labels = new float[200];
        for (int i = 0; i < 200; i++) {
            double a = random.nextGaussian();
            long b = random.nextInt(10);
            rows.add(Row.of("a", a, "b", b));
            labels[i] = (float) (2 * a + b);
        }
        var trained = XGBoostTrainer.train(signature, rows, labels, Map.of("objective", "reg:squarederror"), 10, 1);
        model = dir.resolve("model.json");
        Files.write(model, trained.modelJson());
        Booster booster = XGBoost.loadModel(trained.modelJson());
        float[][] p = booster.predict(new DMatrix(RowTensors.toInputs(signature, rows.subList(0, 5)).get("input").floats(), 5, 2, Float.NaN));
        StringBuilder in = new StringBuilder("a,b,ignored\n");
        StringBuilder out = new StringBuilder("target,score\n");
        for (int i = 0; i < 5; i++) {
            in.append(rows.get(i).get("a")).append(',').append(rows.get(i).get("b")).append(",x\n");
            out.append(labels[i]).append(',').append(p[i][0]).append('\n');
        }
        inputs = Files.writeString(dir.resolve("in.csv"), in);
        expected = Files.writeString(dir.resolve("out.csv"), out);
    }

    private CliRun ferry(String... args) {
        return CliRun.of(Stream.concat(Stream.of(args[0], args[1], "--data-dir", dir.resolve("data").toString()),
                Stream.of(args).skip(2)).toArray(String[]::new));
    }

    @Test
    void helpListsEveryCommand() {
        CliRun run = CliRun.of("--help");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("models", "features", "serve", "demo");
    }

    @Test
    void registersWithGoldenExamplesFromCsvAliasesRollsBackAndValidates() {
        CliRun reg = ferry("models", "register", "m", model.toString(), "--golden-inputs", inputs.toString(),
                "--golden-expected", expected.toString(), "--golden-rename", "score=prediction", "-m", "first");
        assertThat(reg.code()).as(reg.err()).isZero();
        assertThat(reg.out()).contains("registered m@1 (xgboost").contains("5 golden example(s) passed")
                .contains("in.csv:ignored").contains("out.csv:target");
        assertThat(ferry("models", "register", "m", model.toString(), "-m", "second").code()).isZero();

        assertThat(ferry("models", "alias", "m", "champion", "1").out()).contains("m champion: (new) -> 1");
        assertThat(ferry("models", "alias", "m", "champion", "latest", "--reason", "newer").out()).contains("1 -> 2");
        assertThat(ferry("models", "rollback", "m", "champion").out()).contains("rolled back: 2 -> 1");
        CliRun show = ferry("models", "show", "m", "champion");
        assertThat(show.out()).contains("m@1").contains("golden     5 example(s)").contains("champion->1").contains("1 -> 2  by");
        assertThat(ferry("models", "list").out()).contains("m ").contains("champion->1");
        assertThat(ferry("models", "validate", "m", "1").out()).contains("5 golden example(s) reproduced").contains("OK");
    }

    @Test
    void goldenExpectationsThatTheModelDoesNotReproduceAreRefusedAndNothingIsStored() throws Exception {
        Files.writeString(expected, Files.readString(expected).replaceFirst("\n([^,]+),([^\\n]+)\n", "\n$1,123.0\n"));
        CliRun reg = ferry("models", "register", "m", model.toString(), "--golden-inputs", inputs.toString(),
                "--golden-expected", expected.toString(), "--golden-rename", "score=prediction");
        assertThat(reg.code()).isEqualTo(5);
        assertThat(reg.err()).contains("golden example 0: output 'prediction'").contains("123.0");
        assertThat(ferry("models", "list").out()).contains("no models registered yet");
    }

    @Test
    void aTamperedArtifactIsRefusedOnValidate() throws Exception {
        assertThat(ferry("models", "register", "m", model.toString()).code()).isZero();
        try (Stream<Path> files = Files.walk(dir.resolve("data/registry/artifacts/sha256"))) {
            Path artifact = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            artifact.toFile().setWritable(true);
            Files.writeString(artifact, Files.readString(artifact).replace("\"num_feature\"", "\"num_featurE\""));
        }
        CliRun run = ferry("models", "validate", "m");
        assertThat(run.code()).isEqualTo(5);
        assertThat(run.err()).contains("has SHA-256").contains("it was altered or truncated");
    }

    @Test
    void clearErrorsForMissingFilesUnknownFormatsAndUnknownNames() {
        CliRun missing = ferry("models", "register", "m", dir.resolve("nope.json").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("FILE was").contains("no such file");
        CliRun format = ferry("models", "register", "m", inputs.toString());
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("cannot be told from the name");
        CliRun unknown = ferry("models", "show", "nope");
        assertThat(unknown.code()).isEqualTo(3);
        assertThat(unknown.err()).contains("'nope' is not registered");
        CliRun badFormat = ferry("models", "register", "m", model.toString(), "--format", "pmml");
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("format was 'pmml'");
    }
}
