package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    static List<String> readAll(KafkaBroker kafka, String topic, int expected) {
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, kafka.newTopicName("g"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            for (int i = 0; i < 300 && got.size() < expected; i++) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    got.add(r.value());
                }
            }
        }
        return got;
    }

    @Test
    void aMessageProducedToTheSharedBrokerCanBeConsumed() throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        String topic = kafka.newTopicName("hello");
        kafka.createTopic(topic, 1);
        try (var p = producer(kafka)) {
            p.send(new ProducerRecord<>(topic, "k", "v1")).get();
        }
        assertThat(readAll(kafka, topic, 1)).containsExactly("v1");
    }

    @Test
    void aRestartedBrokerKeepsItsPortAndItsMessages() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.startEmbedded()) {
            String topic = kafka.newTopicName("restart");
            kafka.createTopic(topic, 1);
            String before = kafka.bootstrapServers();
            try (var p = producer(kafka)) {
                p.send(new ProducerRecord<>(topic, "k", "before")).get();
            }

            kafka.restart();

            assertThat(kafka.bootstrapServers()).isEqualTo(before);
            try (var p = producer(kafka)) {
                p.send(new ProducerRecord<>(topic, "k", "after")).get();
            }
            assertThat(readAll(kafka, topic, 2)).containsExactly("before", "after");
        }
    }
}
