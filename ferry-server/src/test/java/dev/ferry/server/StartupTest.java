package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.testkit.LinearRuntime;
import dev.ferry.serving.testkit.Models;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTest {

    @TempDir
    Path dir;
    ServerHarness h;

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void whileADeploymentWarmsUpTheServerIsLiveButNotReadyAndCallersGet503() throws Exception {
        h = new ServerHarness(dir);
        Models.linear(h.registry, dir, "slow", 1, 0, 0, "hang");
        LinearRuntime.HANG_ARMED = true; // its warm-up blocks until released
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).adminToken(ServerHarness.TOKEN)
                .dataDir(dir.resolve("data")).budget(Duration.ofSeconds(30))
                .deployment("slow", Map.of("model", "slow", "version", "1")).build();
        h.server = FerryServer.builder().config(config).registry(h.registry).build().start();

        long end = System.nanoTime() + 10_000_000_000L;
        // wait until the start-up thread is inside the load (the engine reports a pending deployment)
        while (h.server.engine().ready() && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        assertThat(h.server.engine().ready()).isFalse();
        assertThat(h.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(h.get("/v2/health/ready").status()).isEqualTo(503);
        ServerHarness.Reply early = h.post("/v1/predict/slow", "{\"features\": {\"x1\": 1, \"x2\": 1}}");
        assertThat(early.status()).isEqualTo(503);

        LinearRuntime.HANG_ARMED = false;
        LinearRuntime.HANG.countDown();
        assertThat(h.server.awaitStartup()).isEmpty();

        assertThat(h.get("/v2/health/ready").status()).isEqualTo(200);
        ServerHarness.Reply later = h.post("/v1/predict/slow", "{\"features\": {\"x1\": 2, \"x2\": 1}}");
        assertThat(later.status()).isEqualTo(200);
        assertThat(later.json().get("output").get("score").asDouble()).isEqualTo(2.0);
    }
}
