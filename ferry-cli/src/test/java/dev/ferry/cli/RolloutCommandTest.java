package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.rollout.RolloutExtension;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.ModelRef;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry rollout} against a real server on a random port serving a real XGBoost model. */
class RolloutCommandTest {

    static final String TOKEN = "cli-rollout-token-0123456789";

    @TempDir
    Path dir;
    FileModelRegistry registry;
    FerryServer server;
    RolloutExtension extension;

    @BeforeEach
    void serveTwoVersions() throws Exception {
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
        Path model = Files.write(dir.resolve("model.json"), trained.modelJson());
        for (int v = 1; v <= 2; v++) {
            CliRun reg = CliRun.of("models", "register", "m", model.toString(), "--data-dir", dir.resolve("data").toString());
            assertThat(reg.code()).as(reg.err()).isZero();
        }
        registry = FileModelRegistry.open(dir.resolve("data/registry"));
        extension = new RolloutExtension(new RolloutExtension.Settings(Optional.empty(), null, null, Duration.ZERO,
                Duration.ofSeconds(30), "cli-test"));
        server = FerryServer.builder().config(ServerConfig.builder().host("127.0.0.1").port(0).adminToken(TOKEN)
                        .dataDir(dir.resolve("serving")).budget(Duration.ofSeconds(30)).build())
                .registry(registry).discoverExtensions(false).extension(extension).build().start();
        server.engine().deploy(DeploymentSpec.builder("m").budget(Duration.ofSeconds(30)).arm("main", ModelRef.parse("m@1"), 1).build());
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private CliRun rollout(String... args) {
        return CliRun.of(Stream.concat(Stream.of("rollout", args[0], "--server", "http://127.0.0.1:" + server.port(), "--token", TOKEN),
                Stream.of(args).skip(1)).toArray(String[]::new));
    }

    @Test
    void startStatusPauseResumePromoteAndAbortARollout() {
        CliRun start = rollout("start", "--deployment", "m", "--candidate", "m@2", "--min-duration", "2m", "--min-samples", "100");
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(start.out()).contains("candidate m@2 vs champion m@1").contains("OFFLINE");
        Matcher id = Pattern.compile("^(m-\\S+)").matcher(start.out());
        assertThat(id.find()).isTrue();
        String rolloutId = id.group(1);

        extension.engine().tick();
        assertThat(rollout("status", rolloutId).out()).contains("SHADOW").contains("PASS  offline");
        assertThat(rollout("pause", rolloutId).out()).contains("SHADOW (paused)");
        CliRun again = rollout("pause", rolloutId);
        assertThat(again.code()).isEqualTo(6);
        assertThat(again.err()).contains("already paused");
        assertThat(rollout("resume", rolloutId).out()).contains("SHADOW (resumed)");
        assertThat(rollout("promote", rolloutId).out()).contains("CANARY 5%");
        assertThat(server.engine().deployment("m").orElseThrow().arms()).hasSize(2);
        assertThat(rollout("abort", rolloutId).out()).contains("ABORTED");
        assertThat(server.engine().deployment("m").orElseThrow().arms()).hasSize(1);
        CliRun list = rollout("status");
        assertThat(list.out()).contains(rolloutId).contains("ABORTED");
        assertThat(rollout("status", rolloutId, "--json").out()).contains("\"stage\" : \"ABORTED\"");
    }

    @Test
    void refusesBadInputWithTheFieldAndTheServersErrorsWithTheirKind() {
        CliRun steps = rollout("start", "--deployment", "m", "--candidate", "m@2", "--steps", "50,10");
        assertThat(steps.code()).isEqualTo(2);
        assertThat(steps.err()).contains("canary_steps");
        CliRun duration = rollout("start", "--deployment", "m", "--candidate", "m@2", "--watch", "soon");
        assertThat(duration.code()).isEqualTo(2);
        assertThat(duration.err()).contains("--watch was 'soon'");
        CliRun missing = rollout("status", "no-such-rollout");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).contains("does not exist");
        CliRun token = CliRun.of("rollout", "status", "--server", "http://127.0.0.1:" + server.port(), "--token", "not-the-token-at-all");
        assertThat(token.code()).isEqualTo(2);
        assertThat(token.err()).contains("refused the admin token");
        CliRun down = CliRun.of("rollout", "status", "--server", "http://127.0.0.1:1", "--token", TOKEN);
        assertThat(down.code()).isEqualTo(9);
        assertThat(down.err()).contains("cannot reach the server");
    }
}
