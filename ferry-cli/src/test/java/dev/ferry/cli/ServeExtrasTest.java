package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.online.NearCacheOnlineStore;
import dev.ferry.online.OnlineStore;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionLogSink;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.testkit.KafkaBroker;
import dev.ferry.types.Row;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeExtrasTest {

    @TempDir
    Path dir;

    @Test
    void theConfiguredParquetAndKafkaLogsBothReceiveEveryRecordAndPublishTheirDroppedCounts() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = kafka.newTopicName("served");
        kafka.createTopic(topic, 1);
        ServerConfig cfg = ServerConfig.builder().set("log.parquet-dir", dir.resolve("parquet").toString())
                .set("log.kafka-bootstrap", kafka.bootstrapServers()).set("log.kafka-topic", topic).build();
        ServeExtras.ExtraLogs logs = ServeExtras.extraLogs(cfg, Clock.systemUTC());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        logs.bindMetrics().accept(meters);

        PredictionLogSink sink = logs.sink().orElseThrow();
        List<PredictionRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(new PredictionRecord("r-" + i, Instant.parse("2026-01-01T00:00:00Z"), "credit", "main", "credit", 1, false,
                    AnswerSource.MODEL, false, Map.of("user_id", "u" + i), Row.of("amount", (double) i), Row.of("score", 0.5)));
        }
        sink.write(records);
        sink.flush();
        sink.close();

        try (Stream<Path> files = Files.list(dir.resolve("parquet"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(1);
        }
        try (var admin = kafka.admin()) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            long end = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).partitionResult(tp).get().offset();
            assertThat(end).isEqualTo(20);
        }
        assertThat(meters.get("ferry.serving.log.sink.dropped").tag("sink", "parquet").functionCounter().count()).isZero();
        assertThat(meters.get("ferry.serving.log.sink.dropped").tag("sink", "kafka").functionCounter().count()).isZero();
    }

    @Test
    void withoutExtraLogKeysNoSinkIsAdded() {
        assertThat(ServeExtras.extraLogs(ServerConfig.builder().build(), Clock.systemUTC()).sink()).isEmpty();
    }

    @Test
    void theNearCacheWrapsTheStoreOnlyWhenASizeIsGivenAndPublishesItsMeters() {
        InMemoryOnlineStore store = new InMemoryOnlineStore(Clock.systemUTC());
        List<Consumer<MeterRegistry>> bind = new ArrayList<>();
        assertThat(ServeExtras.nearCache(store, null, null, Clock.systemUTC(), bind)).isSameAs(store);
        assertThat(bind).isEmpty();

        OnlineStore cached = ServeExtras.nearCache(store, 1000L, "500ms", Clock.systemUTC(), bind);
        assertThat(cached).isInstanceOf(NearCacheOnlineStore.class);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        bind.forEach(b -> b.accept(meters));
        assertThat(meters.find("ferry.online.nearcache").tag("result", "hit").functionCounter()).isNotNull();

        assertThatThrownBy(() -> ServeExtras.nearCache(store, null, "2s", Clock.systemUTC(), bind))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--near-cache-size");
    }

    @Test
    void stalenessIsReadInMillisecondsSecondsMinutesOrIso() {
        assertThat(ServeExtras.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ServeExtras.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(ServeExtras.duration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(ServeExtras.duration("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> ServeExtras.duration("soon")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'soon'");
    }
}
