package dev.ferry.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.FerryException;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.testkit.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes down in the middle of a stream, between a batch's writes and its commit, while
 * the producer keeps sending; after it comes back every update is applied exactly as if nothing
 * had happened. Uses a private in-process broker, since the test stops it.
 */
class BrokerRestartTest {

    static final int DRIVERS = 30;

    @TempDir
    Path dir;

    @Test
    void aBrokerRestartBetweenWriteAndCommitLosesNoUpdateAndShowsNoneTwice() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.startEmbedded()) {
            String topic = kafka.newTopicName("driver-stats");
            kafka.createTopic(topic, 2);
            StreamFixture f = new StreamFixture(dir, topic);
            List<String> before = StreamFixture.json(f.updates(300, DRIVERS));
            List<String> after = StreamFixture.json(f.updates(300, DRIVERS));
            int total = before.size() + after.size();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            StreamIngestConfig config = f.config(kafka, kafka.newTopicName("dlq")).maxPollRecords(50)
                    .kafka("default.api.timeout.ms", "3000").kafka("request.timeout.ms", "2000").build();
            try (OnlineStore online = RocksDbOnlineStore.open(dir.resolve("rocks"), Clock.systemUTC());
                 KafkaIngestor ingestor = KafkaIngestor.create(config, f.registry, online, meters, Clock.systemUTC());
                 // Not idempotent: an idempotent producer that queued records while the broker was down
                 // can come back with its sequence numbers reset and be refused with
                 // OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout, which is the producer's
                 // problem and not what this test is about. Nothing is sent while the broker is down,
                 // so no produce request can be half done and retried into a duplicate; one request in
                 // flight keeps the order.
                 var producer = StreamFixture.producer(kafka, Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                         ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"))) {
                f.send(producer, before);
                AtomicInteger batches = new AtomicInteger();
                // The producer keeps sending while the broker is down; its sends wait for the broker to return.
                Thread sender = new Thread(() -> after.forEach(m -> producer.send(new ProducerRecord<>(topic, null, m))), "after-restart-sender");
                ingestor.beforeCommit(() -> {
                    if (batches.incrementAndGet() == 3) {
                        kafka.stopBroker();
                        sender.start();
                    }
                });
                int failures = 0;
                boolean down = true;
                for (int i = 0; i < 600 && KafkaIngestorTest.count(meters, "accepted") < total; i++) {
                    try {
                        ingestor.pollOnce();
                    } catch (KafkaException | FerryException e) {
                        failures++;
                    }
                    if (failures > 0 && down) {
                        kafka.startBroker();
                        sender.join();
                        producer.flush();
                        down = false;
                    }
                }

                assertThat(failures).as("batches that failed because the broker was down").isPositive();
                assertThat(batches.get()).isGreaterThan(3);
                assertThat(KafkaIngestorTest.count(meters, "accepted")).isEqualTo(total);
                StreamAssertions.onlineHoldsLatest(f, online, "driver_stats@1", DRIVERS);
            }
            assertThat(StreamAssertions.offlineCounts(f)).containsExactly(total, total);
            StreamAssertions.offlineAgreesWithOnline(f, DRIVERS);
        }
    }
}
