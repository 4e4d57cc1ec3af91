package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.monitoring.profile.ProfileJson;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorCommandTest {

    @TempDir
    Path dir;
    Path model;
    Path reference;
    Path current;

    @BeforeEach
    void modelAndData() throws Exception {
        var signature = XGBoostTrainer.signature(List.of(Field.of("a", FeatureType.FLOAT64), Field.of("b", FeatureType.INT64)), Map.of());
        Random random = new Random(5);
        List<Row> rows = new ArrayList<>();
        float[] labels = new float[100];
        for (int i = 0; i < 100; i++) {
            rows.add(Row.of("a", random.nextGaussian(), "b", (long) random.nextInt(10)));
            labels[i] = i % 2;
        }
        model = dir.resolve("model.json");
        Files.write(model, XGBoostTrainer.train(signature, rows, labels, Map.of("objective", "reg:squarederror"), 3, 1).modelJson());
        reference = csv("reference.csv", 0.0, random);
        current = csv("current.csv", 1.0, random);
    }

    Path csv(String name, double shift, Random random) throws Exception {
        StringBuilder s = new StringBuilder("id,a,b,color\n");
        for (int i = 0; i < 600; i++) {
            s.append(i).append(',').append(random.nextGaussian() + shift).append(',').append(random.nextInt(10)).append(',')
                    .append(random.nextBoolean() ? "red" : "blue").append('\n');
        }
        return Files.writeString(dir.resolve(name), s);
    }

    CliRun ferry(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dir.resolve("data").toString());
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void storesABaselineWithAModelVersionAndReportsDriftAgainstIt() {
        assertThat(ferry("models", "register", "m", model.toString(), "-m", "first").code()).isZero();
        CliRun profile = ferry("monitor", "profile", reference.toString(), "--exclude", "id", "--model", "m", "--version", "1");
        assertThat(profile.code()).as(profile.err()).isZero();
        assertThat(profile.out()).contains("FEATURE", "a ", "float64", "color", "baseline of m version 1 stored at");
        Path stored = dir.resolve("data/monitoring/baselines/m/1/profile.json");
        assertThat(ProfileJson.readFile(stored).names()).containsExactly("a", "b", "color");

        CliRun again = ferry("monitor", "profile", reference.toString(), "--model", "m", "--version", "1");
        assertThat(again.code()).isEqualTo(6);
        assertThat(again.err()).contains("already has a baseline").contains("--replace");

        CliRun drift = ferry("monitor", "drift", "--model", "m", "--version", "1", "--current", current.toString(), "--exclude", "id");
        assertThat(drift.code()).as(drift.err()).isZero();
        assertThat(drift.out()).containsPattern("a\\s+ks\\s+\\S+\\s+0\\.05\\d*\\s+YES")
                .containsPattern("b\\s+ks\\s+\\S+\\s+0\\.05\\d*\\s+no")
                .containsPattern("color\\s+z\\s+")
                .contains("dataset drift:");
    }

    @Test
    void comparesTwoFilesWithAChosenMethodAndThreshold() throws Exception {
        Path out = dir.resolve("ref.json");
        assertThat(ferry("monitor", "profile", reference.toString(), "--output", out.toString()).code()).isZero();
        CliRun drift = ferry("monitor", "drift", "--baseline", out.toString(), "--current", current.toString(),
                "--method", "*=psi", "--threshold", "a=0.3", "--exclude", "id");
        assertThat(drift.code()).as(drift.err()).isZero();
        assertThat(drift.out()).containsPattern("a\\s+psi\\s+\\S+\\s+0\\.3\\d*\\s+YES").contains("skipped id");
    }

    @Test
    void badInputIsRefusedNamingIt() {
        CliRun unknownVersion = ferry("monitor", "profile", reference.toString(), "--model", "m", "--version", "3");
        assertThat(unknownVersion.code()).isEqualTo(3);
        CliRun method = ferry("monitor", "drift", "--baseline", reference.toString(), "--current", current.toString(), "--method", "a=kl");
        assertThat(method.code()).isEqualTo(2);
        assertThat(method.err()).contains("drift method was 'kl'");
        CliRun both = ferry("monitor", "drift", "--current", current.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--baseline PATH or as --model NAME --version N");
    }
}
