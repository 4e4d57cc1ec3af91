package dev.ferry.bench.streaming;

import dev.ferry.features.Entity;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.kafka.KafkaIngestor;
import dev.ferry.kafka.ParquetLog;
import dev.ferry.kafka.StreamIngestConfig;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import dev.ferry.testkit.KafkaBroker;
import dev.ferry.testkit.RedisServer;
import dev.ferry.types.ScalarType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka ingestion (BENCHMARKS.md, "Feature store: streaming"): (1) throughput, draining a
 * backlog of {@code messages} JSON updates into RocksDB or Redis plus the Parquet offline log;
 * (2) freshness, updates produced at a steady {@code rate} per second with event time = send time,
 * reporting the {@code ferry.stream.freshness} p50/p99 (event time to servable). Uses the Kafka
 * named by FERRY_TEST_KAFKA_BOOTSTRAP or an in-process one. Run:
 * {@code java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' dev.ferry.bench.streaming.KafkaIngestBenchmark rocksdb 200000 2000 10}
 * (arguments: store {@code rocksdb|redis}, backlog messages, steady rate per second, steady seconds, and optionally the
 * number of batch files after which a partition's offline files are compacted, default the ingestor's 64).
 */
public final class KafkaIngestBenchmark {

    private static final int DRIVERS = 100_000;

    private KafkaIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String storeName = args.length > 0 ? args[0] : "rocksdb";
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int compactAfter = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        KafkaBroker kafka = KafkaBroker.shared();
        Path dir = Files.createTempDirectory("ferry-bench-kafka");
        Entity driver = Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64));
        FeatureRegistry registry = FeatureRegistry.open(dir.resolve("registry"));
        try (ParquetLog log = ParquetLog.open(dir.resolve("offline"))) {
            FeatureView view = FeatureView.builder("driver_stats").entity("driver").source(log.source("driver_stats"))
                    .feature("trips", "int64").feature("rating", "float64").feature("city", "string").feature("emb", "float32[8]").build();
            log.initialize(view, driver.joinKeys());
            registry.apply(FeatureRepository.builder().entity(driver).view(view).build());
        }
        try (OnlineStore online = open(storeName, dir);
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                     ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.BATCH_SIZE_CONFIG, "262144"), new StringSerializer(), new StringSerializer())) {
            String backlog = kafka.newTopicName("bench-backlog");
            kafka.createTopic(backlog, 4);
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < messages; i++) {
                producer.send(new ProducerRecord<>(backlog, message(random, Instant.now())));
            }
            producer.flush();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            long start = System.nanoTime();
            try (KafkaIngestor ingestor = ingestor(kafka, registry, online, meters, backlog, dir, compactAfter)) {
                Thread t = Thread.ofPlatform().name("ingest").start(ingestor::run);
                while (accepted(meters) < messages) {
                    Thread.sleep(20);
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("kafka ingest %s backlog: %d messages in %.1f s = %.0f rows/s (online + Parquet log)%n",
                        storeName, messages, secs, messages / secs);
                ingestor.close();
                t.join();
            }

            String steady = kafka.newTopicName("bench-steady");
            kafka.createTopic(steady, 4);
            SimpleMeterRegistry fresh = new SimpleMeterRegistry();
            try (KafkaIngestor ingestor = ingestor(kafka, registry, online, fresh, steady, dir, compactAfter)) {
                Thread t = Thread.ofPlatform().name("ingest").start(ingestor::run);
                long periodNanos = 1_000_000_000L / Math.max(1, rate / 100); // sends in bursts of 100
                long next = System.nanoTime();
                int sent = 0;
                while (sent < rate * seconds) {
                    for (int i = 0; i < 100; i++, sent++) {
                        producer.send(new ProducerRecord<>(steady, message(random, Instant.now())));
                    }
                    next += periodNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                producer.flush();
                while (accepted(fresh) < sent) {
                    Thread.sleep(20);
                }
                Timer timer = fresh.find("ferry.stream.freshness").timer();
                StringBuilder sb = new StringBuilder();
                for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
                    sb.append(String.format(" p%.0f=%.1f ms", p.percentile() * 100, p.value(TimeUnit.MILLISECONDS)));
                }
                System.out.printf("kafka freshness %s at %d msg/s for %d s (%d messages):%s max=%.1f ms%n",
                        storeName, rate, seconds, sent, sb, timer.max(TimeUnit.MILLISECONDS));
                ingestor.close();
                t.join();
            }
            try (ParquetLog log = ParquetLog.open(dir.resolve("offline"))) {
                List<Path> files = log.files("driver_stats");
                long compacted = files.stream().filter(f -> f.getFileName().toString().endsWith(".compacted.parquet")).count();
                System.out.printf("kafka offline log %s: %d files (%d compacted, compaction after %d batch files a partition)%n",
                        storeName, files.size(), compacted, compactAfter);
            }
            online.dropView("driver_stats@1");
        }
        System.exit(0);
    }

    private static KafkaIngestor ingestor(KafkaBroker kafka, FeatureRegistry registry, OnlineStore online, SimpleMeterRegistry meters,
                                          String topic, Path dir, int compactAfter) {
        StreamIngestConfig config = StreamIngestConfig.builder().bootstrapServers(kafka.bootstrapServers()).groupId("bench-" + topic)
                .topic(topic, "driver_stats").deadLetterTopic(topic + "-dlq").offlineLog(dir.resolve("offline")).maxPollRecords(5000).offlineCompactAfter(compactAfter).build();
        return KafkaIngestor.create(config, registry, online, meters, Clock.systemUTC());
    }

    private static double accepted(SimpleMeterRegistry meters) {
        Counter c = meters.find("ferry.stream.records").tag("outcome", "accepted").counter();
        return c == null ? 0 : c.count();
    }

    private static String message(SplittableRandom r, Instant t) {
        StringBuilder emb = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            emb.append(i == 0 ? "" : ",").append(r.nextDouble());
        }
        return "{\"driver_id\":" + r.nextInt(DRIVERS) + ",\"event_timestamp\":\"" + t + "\",\"trips\":" + r.nextInt(10_000)
                + ",\"rating\":" + r.nextInt(500) / 100.0 + ",\"city\":\"c" + r.nextInt(50) + "\",\"emb\":" + emb.append(']') + "}";
    }

    private static OnlineStore open(String name, Path dir) {
        return switch (name) {
            case "rocksdb" -> RocksDbOnlineStore.open(dir.resolve("rocks"), Clock.systemUTC());
            case "redis" -> RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(RedisServer.shared().uri())
                    .withKeyPrefix("bench" + System.nanoTime() + ":"), Clock.systemUTC());
            default -> throw new IllegalArgumentException("store was '" + name + "' but it must be rocksdb or redis");
        };
    }
}
