package dev.ferry.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.UnavailableException;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.testkit.KafkaBroker;
import dev.ferry.testkit.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream ingestion against a real Kafka (in-process KRaft, or FERRY_TEST_KAFKA_BOOTSTRAP) and real online stores. */
class KafkaIngestorTest {

    static final int DRIVERS = 40;

    @TempDir
    Path dir;

    final KafkaBroker kafka = KafkaBroker.shared();

    /** Polls until {@code done} holds; bounded by a number of polls, not by wall time. */
    static void pollUntil(KafkaIngestor ingestor, BooleanSupplier done) {
        for (int i = 0; i < 600 && !done.getAsBoolean(); i++) {
            ingestor.pollOnce();
        }
        assertThat(done.getAsBoolean()).as("condition reached within 600 polls").isTrue();
    }

    static double count(SimpleMeterRegistry meters, String outcome) {
        var c = meters.find(IngestMetrics.RECORDS).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void updatesFlowIntoRocksDbAndTheParquetLogAndTrainingReadsWhatServingServes() throws Exception {
        String topic = kafka.newTopicName("driver-stats");
        kafka.createTopic(topic, 3);
        StreamFixture f = new StreamFixture(dir, topic);
        List<StreamFixture.Update> updates = f.updates(400, DRIVERS);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (OnlineStore online = RocksDbOnlineStore.open(dir.resolve("rocks"), Clock.systemUTC());
             KafkaIngestor ingestor = KafkaIngestor.create(f.config(kafka, kafka.newTopicName("dlq")).build(), f.registry, online, meters, Clock.systemUTC());
             var producer = StreamFixture.producer(kafka)) {
            assertThat(ingestor.onlineViews()).containsEntry(topic, "driver_stats@1");
            f.send(producer, StreamFixture.json(updates));

            pollUntil(ingestor, () -> count(meters, "accepted") == updates.size());

            StreamAssertions.onlineHoldsLatest(f, online, "driver_stats@1", DRIVERS);
            var freshness = meters.find(IngestMetrics.FRESHNESS).timer();
            assertThat(freshness.count()).isEqualTo(updates.size());
            assertThat(count(meters, "rejected")).isZero();
        }
        StreamAssertions.offlineAgreesWithOnline(f, DRIVERS);
        assertThat(StreamAssertions.offlineCounts(f)).containsExactly(updates.size(), updates.size());
    }

    @Test
    void badMessagesGoToTheDeadLetterTopicWithTheReasonWhileGoodOnesKeepFlowingIntoRedis() throws Exception {
        String topic = kafka.newTopicName("driver-stats");
        String dlq = kafka.newTopicName("dlq");
        kafka.createTopic(topic, 1);
        kafka.createTopic(dlq, 1);
        StreamFixture f = new StreamFixture(dir, topic);
        List<String> good = StreamFixture.json(f.updates(200, DRIVERS));
        Map<String, String[]> bad = new HashMap<>();
        bad.put("{not json", new String[] {"$", "a JSON object"});
        bad.put("[1,2,3]", new String[] {"$", "a JSON object"});
        bad.put("{\"driver_id\": 1, \"event_timestamp\": \"2025-03-01T00:00:00Z\", \"trips\": \"many\", \"rating\": 1.0, \"city\": \"a\", \"emb\": [1,2,3]}",
                new String[] {"trips", "int64"});
        bad.put("{\"driver_id\": 1, \"event_timestamp\": \"2025-03-01T00:00:00Z\", \"trips\": 1, \"rating\": 1.0, \"city\": \"a\", \"emb\": [1,2]}",
                new String[] {"emb", "float32[3]"});
        bad.put("{\"event_timestamp\": \"2025-03-01T00:00:00Z\", \"trips\": 1, \"rating\": 1.0, \"city\": \"a\", \"emb\": [1,2,3]}",
                new String[] {"driver_id", "int64"});
        bad.put("{\"driver_id\": 1, \"event_timestamp\": \"yesterday\", \"trips\": 1, \"rating\": 1.0, \"city\": \"a\", \"emb\": [1,2,3]}",
                new String[] {"event_timestamp", "timestamp"});
        bad.put("{\"driver_id\": 1, \"event_timestamp\": \"2025-03-01T00:00:00Z\", \"trips\": 1, \"rating\": 1.0, \"emb\": [1,2,3]}",
                new String[] {"city", "string"});
        List<String> messages = new ArrayList<>(good);
        List<String> badMessages = new ArrayList<>(bad.keySet());
        for (int i = 0; i < badMessages.size(); i++) {
            messages.add(i * 25, badMessages.get(i));
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String prefix = RedisServer.shared().newKeyPrefix();
        try (OnlineStore online = RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(RedisServer.shared().uri()).withKeyPrefix(prefix)
                     .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10)), Clock.systemUTC());
             KafkaIngestor ingestor = KafkaIngestor.create(f.config(kafka, dlq).build(), f.registry, online, meters, Clock.systemUTC());
             var producer = StreamFixture.producer(kafka)) {
            f.send(producer, messages);

            pollUntil(ingestor, () -> count(meters, "accepted") + count(meters, "rejected") == messages.size());

            assertThat(count(meters, "rejected")).isEqualTo(bad.size());
            StreamAssertions.onlineHoldsLatest(f, online, "driver_stats@1", DRIVERS);
        } finally {
            RedisServer.shared().deleteKeys(prefix);
        }
        List<ConsumerRecord<String, String>> dead = readAll(dlq, bad.size());
        assertThat(dead).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(bad.keySet());
        for (ConsumerRecord<String, String> r : dead) {
            String[] want = bad.get(r.value());
            assertThat(header(r, DeadLetters.FIELD)).as(r.value()).isEqualTo(want[0]);
            assertThat(header(r, DeadLetters.EXPECTED)).as(r.value()).startsWith(want[1]);
            assertThat(header(r, DeadLetters.REASON)).isNotBlank();
            assertThat(header(r, DeadLetters.VALUE)).isNotBlank();
            assertThat(header(r, DeadLetters.SOURCE_TOPIC)).isEqualTo(topic);
            assertThat(header(r, DeadLetters.VIEW)).isEqualTo("driver_stats@1");
        }
        assertThat(StreamAssertions.offlineCounts(f)).containsExactly(good.size(), good.size());
    }

    @Test
    void aConsumerThatCrashesBeforeCommittingGetsTheBatchAgainAndApplyingItTwiceChangesNothing() throws Exception {
        String topic = kafka.newTopicName("driver-stats");
        kafka.createTopic(topic, 1);
        StreamFixture f = new StreamFixture(dir, topic);
        List<StreamFixture.Update> updates = f.updates(150, DRIVERS);
        try (OnlineStore online = RocksDbOnlineStore.open(dir.resolve("rocks"), Clock.systemUTC());
             var producer = StreamFixture.producer(kafka)) {
            f.send(producer, StreamFixture.json(updates));
            StreamIngestConfig config = f.config(kafka, kafka.newTopicName("dlq")).maxPollRecords(1000).build();

            SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
            KafkaIngestor first = KafkaIngestor.create(config, f.registry, online, firstMeters, Clock.systemUTC());
            first.beforeCommit(() -> {
                throw new UnavailableException("process killed before the commit");
            });
            assertThatThrownBy(() -> pollUntil(first, () -> false)).isInstanceOf(UnavailableException.class);
            first.close();
            assertThat(count(firstMeters, "accepted")).isZero();
            var afterCrash = StreamAssertions.snapshot(f, online, "driver_stats@1", DRIVERS);
            long[] offlineAfterCrash = StreamAssertions.offlineCounts(f);
            assertThat(offlineAfterCrash[0]).isPositive();

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (KafkaIngestor second = KafkaIngestor.create(config, f.registry, online, meters, Clock.systemUTC())) {
                pollUntil(second, () -> count(meters, "accepted") == updates.size());
            }

            StreamAssertions.onlineHoldsLatest(f, online, "driver_stats@1", DRIVERS);
            Map<Long, List<String>> after = StreamAssertions.snapshot(f, online, "driver_stats@1", DRIVERS);
            afterCrash.forEach((driver, values) -> {
                if (!values.getFirst().startsWith("NOT_FOUND")) {
                    assertThat(after.get(driver)).as("driver %d written before the crash", driver).isEqualTo(values);
                }
            });
        }
        assertThat(StreamAssertions.offlineCounts(f)).containsExactly(updates.size(), updates.size());
        StreamAssertions.offlineAgreesWithOnline(f, DRIVERS);
    }

    @Test
    void compactionBeforeACrashedCommitKeepsEveryUpdateOnceInTheOfflineLog() throws Exception {
        String topic = kafka.newTopicName("driver-stats");
        kafka.createTopic(topic, 1);
        StreamFixture f = new StreamFixture(dir, topic);
        List<StreamFixture.Update> updates = f.updates(300, DRIVERS);
        try (OnlineStore online = RocksDbOnlineStore.open(dir.resolve("rocks"), Clock.systemUTC());
             var producer = StreamFixture.producer(kafka)) {
            f.send(producer, StreamFixture.json(updates));
            StreamIngestConfig config = f.config(kafka, kafka.newTopicName("dlq")).maxPollRecords(20).offlineCompactAfter(3).build();

            // the sixth batch is appended (and compacted with the two before it) but never committed
            java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
            SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
            KafkaIngestor first = KafkaIngestor.create(config, f.registry, online, firstMeters, Clock.systemUTC());
            first.beforeCommit(() -> {
                if (batches.incrementAndGet() == 6) {
                    throw new UnavailableException("process killed before the commit");
                }
            });
            assertThatThrownBy(() -> pollUntil(first, () -> false)).isInstanceOf(UnavailableException.class);
            first.close();
            assertThat(StreamAssertions.offlineCounts(f)[0]).as("rows of the uncommitted batch are in the log")
                    .isGreaterThan((long) count(firstMeters, "accepted"));

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (KafkaIngestor second = KafkaIngestor.create(config, f.registry, online, meters, Clock.systemUTC())) {
                pollUntil(second, () -> count(firstMeters, "accepted") + count(meters, "accepted") >= updates.size());
            }
            StreamAssertions.onlineHoldsLatest(f, online, "driver_stats@1", DRIVERS);
        }
        assertThat(StreamAssertions.offlineCounts(f)).containsExactly(updates.size(), updates.size());
        StreamAssertions.offlineAgreesWithOnline(f, DRIVERS);
        try (ParquetLog log = ParquetLog.open(dir.resolve("offline"))) {
            List<Path> files = log.files("driver_stats");
            assertThat(files).as("compacted files replaced most of the %d batches", updates.size() / 20)
                    .anyMatch(p -> p.getFileName().toString().endsWith(".compacted.parquet")).hasSizeLessThan(10);
        }
    }

    private List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, kafka.newTopicName("reader"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            for (int i = 0; i < 300 && got.size() < expected; i++) {
                c.poll(Duration.ofMillis(100)).forEach(got::add);
            }
        }
        return got;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
