package dev.ferry.monitoring.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.MutableClock;
import dev.ferry.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaOutcomeSourceTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aTopicIsIngestedUpToItsEndAndARunAfterACommitReadsOnlyNewOutcomes() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = kafka.newTopicName("outcomes");
        kafka.createTopic(topic, 2);
        List<LoggedPrediction> log = List.of(
                OutcomeJoinTest.prediction("r1", T0, "champion", false, 1, 0.9),
                OutcomeJoinTest.prediction("r2", T0, "champion", false, 2, 0.2),
                OutcomeJoinTest.prediction("r3", T0, "champion", false, 3, 0.4));
        try (KafkaProducer<String, String> p = producer(kafka)) {
            p.send(new ProducerRecord<>(topic, "r1", "{\"request_id\":\"r1\",\"label\":true}"));
            p.send(new ProducerRecord<>(topic, "r2", "{\"request_id\":\"r2\",\"label\":0}"));
            p.send(new ProducerRecord<>(topic, "x", "not json"));
            p.send(new ProducerRecord<>(topic, "r9", "{\"label\":1}"));
            p.flush();
        }
        MutableClock clock = new MutableClock(T0.plusSeconds(600));
        OutcomeStore store = new OutcomeStore(dir, clock);
        OutcomeSchema schema = OutcomeSchema.byRequestId("request_id", "label", LabelKind.BINARY);
        OutcomeIngestor ingestor = new OutcomeIngestor(schema, log, Duration.ofHours(1), store, clock, 2);
        IngestReport first;
        try (KafkaOutcomeSource src = new KafkaOutcomeSource(kafka.bootstrapServers(), topic, "outcomes-test", Duration.ofSeconds(60))) {
            first = ingestor.ingest(src, n -> { });
        }
        assertThat(first.read()).isEqualTo(4);
        assertThat(first.joined()).isEqualTo(2);
        assertThat(first.rejected()).extracting(Rejection::field).containsExactlyInAnyOrder("$", "request_id");
        assertThat(first.rejected()).extracting(Rejection::message)
                .anySatisfy(m -> assertThat(m).endsWith("field '$' was 'not json' but a JSON object"));

        try (KafkaProducer<String, String> p = producer(kafka)) {
            p.send(new ProducerRecord<>(topic, "r3", "{\"request_id\":\"r3\",\"label\":\"1\"}")).get();
        }
        IngestReport second;
        try (KafkaOutcomeSource src = new KafkaOutcomeSource(kafka.bootstrapServers(), topic, "outcomes-test", Duration.ofSeconds(60))) {
            second = ingestor.ingest(src, n -> { });
        }
        assertThat(second.read()).isEqualTo(1);
        assertThat(store.readAll()).extracting(j -> j.prediction().requestId() + "=" + j.label() + "@" + j.observedAt())
                .containsExactlyInAnyOrder("r1=1.0@2024-05-01T10:10:00Z", "r2=0.0@2024-05-01T10:10:00Z", "r3=1.0@2024-05-01T10:10:00Z");
    }

    static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }
}
