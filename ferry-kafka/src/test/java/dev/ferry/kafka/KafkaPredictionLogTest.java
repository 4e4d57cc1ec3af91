package dev.ferry.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.serving.AnswerSource;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.testkit.KafkaBroker;
import dev.ferry.types.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class KafkaPredictionLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> FAST_FAILURE = Map.of(
            "max.block.ms", "200", "request.timeout.ms", "1000", "delivery.timeout.ms", "2000");

    static PredictionRecord record(int i, boolean shadow) {
        return new PredictionRecord("r-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "credit",
                shadow ? "shadow" : "main", "credit", shadow ? 8 : 7, shadow, AnswerSource.MODEL, i % 5 == 0,
                Map.of("user_id", "u" + i), Row.of("amount", i * 1.5, "country", "c" + (i % 3)), Row.of("score", i / 1000.0));
    }

    static List<PredictionRecord> records(int from, int count) {
        List<PredictionRecord> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(record(i, i % 4 == 0));
        }
        return out;
    }

    @Test
    void everyRecordArrivesOnceKeyedByRequestIdWithItsFeaturesAndOutput() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = kafka.newTopicName("predictions");
        kafka.createTopic(topic, 3);
        int total = 400;
        try (KafkaPredictionLog log = KafkaPredictionLog.create(kafka.bootstrapServers(), topic, Map.of())) {
            // as the server does at start-up: the first batch must not spend max.block.ms on metadata
            assertThat(log.awaitMetadata(java.time.Duration.ofSeconds(30))).isTrue();
            for (int from = 0; from < total; from += 50) {
                log.write(records(from, 50));
            }
            log.flush();
            assertThat(log.sent()).isEqualTo(total);
            assertThat(log.dropped()).isZero();
        }

        List<ConsumerRecord<String, String>> got = consumeAll(kafka, topic, total);
        assertThat(got).hasSize(total);
        Map<String, Integer> perRequest = new HashMap<>();
        for (ConsumerRecord<String, String> m : got) {
            JsonNode n = JSON.readTree(m.value());
            int i = Integer.parseInt(n.get("request_id").asText().substring(2));
            PredictionRecord expected = record(i, i % 4 == 0);
            assertThat(m.key()).isEqualTo(expected.requestId());
            assertThat(n.get("format").asInt()).isEqualTo(PredictionRecord.FORMAT_VERSION);
            assertThat(n.get("shadow").asBoolean()).isEqualTo(expected.shadow());
            assertThat(n.get("version").asInt()).isEqualTo(expected.version());
            assertThat(n.get("source").asText()).isEqualTo("model");
            assertThat(n.get("entity").get("user_id").asText()).isEqualTo("u" + i);
            assertThat(n.get("features").get("amount").asDouble()).isEqualTo(i * 1.5);
            assertThat(n.get("features").get("country").asText()).isEqualTo("c" + (i % 3));
            assertThat(n.get("output").get("score").asDouble()).isEqualTo(i / 1000.0);
            perRequest.merge(m.key(), 1, Integer::sum);
        }
        assertThat(perRequest).hasSize(total).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    }

    @Test
    void withTheBrokerStoppedRecordsAreCountedAsDroppedAndABatchCostsOneWaitAtMost() {
        try (KafkaBroker kafka = KafkaBroker.startEmbedded()) {
            String topic = kafka.newTopicName("predictions");
            kafka.createTopic(topic, 1);
            try (KafkaPredictionLog warm = KafkaPredictionLog.create(kafka.bootstrapServers(), topic, FAST_FAILURE)) {
                assertThat(warm.awaitMetadata(java.time.Duration.ofSeconds(30))).isTrue();
                warm.write(records(0, 10));
                warm.flush();
                assertThat(warm.sent()).isEqualTo(10);

                kafka.stopBroker();
                // The producer knows the topic: these are buffered, then expire after delivery.timeout.ms.
                for (int from = 10; from < 310; from += 100) {
                    warm.write(records(from, 100));
                }
                warm.flush();
                assertThat(warm.sent()).isEqualTo(10);
                assertThat(warm.dropped()).isEqualTo(300);
            }

            // A sink that never saw the topic: the first record waits max.block.ms for metadata and fails,
            // the rest of its batch is dropped without another wait, so each write returns having
            // accounted for its whole batch.
            try (KafkaPredictionLog cold = KafkaPredictionLog.create(kafka.bootstrapServers(), topic, FAST_FAILURE)) {
                assertThat(cold.awaitMetadata(java.time.Duration.ofMillis(300))).isFalse();
                cold.write(records(0, 100));
                assertThat(cold.dropped()).isEqualTo(100);
                cold.write(records(100, 100));
                assertThat(cold.dropped()).isEqualTo(200);
                assertThat(cold.sent()).isZero();
            }
        }
    }

    static List<ConsumerRecord<String, String>> consumeAll(KafkaBroker kafka, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            for (int i = 0; i < 120 && !parts.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp)); i++) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            assertThat(end.values().stream().mapToLong(Long::longValue).sum()).as("messages in the topic").isEqualTo(expected);
        }
        return out;
    }
}
