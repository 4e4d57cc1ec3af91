package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsReadAndEnvironmentVariablesOverrideIt() throws Exception {
        Path file = dir.resolve("ferry.yaml");
        Files.writeString(file, """
                server:
                  port: 9000
                  max-batch: 50
                admin:
                  token: a-long-enough-admin-token
                serving:
                  budget-ms: 80
                deployments:
                  credit: {model: credit, version: champion, entity_keys: [user_id]}
                """);

        ServerConfig c = ServerConfig.load(file, Map.of("FERRY_SERVER_PORT", "9100", "FERRY_SERVING_DATA_DIR", "/tmp/ferry",
                "FERRY_SERVING_ISOLATION", "Thread"));

        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.maxBatch()).isEqualTo(50);
        assertThat(c.budget()).isEqualTo(Duration.ofMillis(80));
        assertThat(c.isolation()).isEqualTo(dev.ferry.serving.Isolation.THREAD);
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/ferry"));
        assertThat(c.adminToken()).contains("a-long-enough-admin-token");
        assertThat(c.deployments()).containsKey("credit");
        assertThat(ServerConfig.envName("serving.log-max-bytes")).isEqualTo("FERRY_SERVING_LOG_MAX_BYTES");
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeyValueAndExpectation() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                server:
                  port: eighty
                  max-body-bytes: 0
                  colour: blue
                admin:
                  token: short
                """);

        assertThatThrownBy(() -> ServerConfig.load(file, Map.of("FERRY_SERVING_BUDGET_MS", "-5", "FERRY_SERVING_ISOLATION", "fibre")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("server.port was 'eighty' but it must be an integer")
                .hasMessageContaining("server.max-body-bytes was '0' but it must be between 1")
                .hasMessageContaining("server.colour is not a known key")
                .hasMessageContaining("admin.token was 5 characters")
                .hasMessageContaining("serving.budget-ms was '-5'")
                .hasMessageContaining("serving.isolation was 'fibre' but it must be 'auto' or 'thread'");
    }

    @Test
    void theBuilderTakesTheSameOptionsAndRefusesUnknownKeys() {
        ServerConfig c = ServerConfig.builder().port(0).maxBatch(7).set("serving.log-queue", 10).build();
        assertThat(c.isolation()).as("the default").isEqualTo(dev.ferry.serving.Isolation.AUTO);
        assertThat(c.port()).isZero();
        assertThat(c.maxBatch()).isEqualTo(7);
        assertThat(c.logQueue()).isEqualTo(10);
        assertThatThrownBy(() -> ServerConfig.builder().set("server.colour", "blue")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("server.colour");
    }

    @Test
    void theExtraPredictionLogsAreOffByDefaultAndTurnedOnByTheirKeys() throws Exception {
        ServerConfig plain = ServerConfig.fromEnvironment(Map.of());
        assertThat(plain.logParquetDir()).isEmpty();
        assertThat(plain.logKafka()).isEmpty();

        Path file = dir.resolve("logs.yaml");
        Files.writeString(file, """
                log:
                  parquet-dir: /var/ferry/parquet
                  kafka-bootstrap: k1:9092,k2:9092
                """);
        ServerConfig c = ServerConfig.load(file, Map.of("FERRY_LOG_KAFKA_TOPIC", "predictions"));
        assertThat(c.logParquetDir()).contains(Path.of("/var/ferry/parquet"));
        assertThat(c.logKafka()).contains(new ServerConfig.KafkaLog("k1:9092,k2:9092", "predictions"));
    }

    @Test
    void aHalfConfiguredOrMalformedKafkaLogIsReportedWithTheOtherProblems() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("FERRY_LOG_KAFKA_TOPIC", "predictions",
                "FERRY_SERVER_PORT", "-1")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("server.port was '-1'")
                .hasMessageContaining("log.kafka-bootstrap was '' but it must be host:port");
        assertThatThrownBy(() -> ServerConfig.builder().set("log.kafka-bootstrap", "k1:9092,nohost")
                .set("log.kafka-topic", "bad topic!").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'nohost' is not")
                .hasMessageContaining("log.kafka-topic was 'bad topic!'");
        assertThatThrownBy(() -> ServerConfig.builder().set("log.kafka-bootstrap", "k1:9092").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("log.kafka-topic was '' but it must name a topic");
    }
}
