package dev.ferry.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.features.Entity;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.JoinKey;
import dev.ferry.features.OfflineStore;
import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineStore;
import dev.ferry.testkit.KafkaBroker;
import dev.ferry.types.ScalarType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A driver_stats view fed by a topic, its registry and Parquet log in a temporary directory, and
 * generated updates with the expected latest value per driver computed here in plain Java.
 */
final class StreamFixture {

    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FEATURES = List.of("trips", "rating", "city", "emb");

    /** One update: driver, event time and feature values. */
    record Update(long driver, Instant time, long trips, Double rating, String city, float[] emb) {
        String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("driver_id", driver);
            m.put("event_timestamp", time.toString());
            m.put("trips", trips);
            m.put("rating", rating);
            m.put("city", city);
            m.put("emb", emb);
            try {
                return JSON.writeValueAsString(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    final Path dir;
    final String topic;
    final FeatureRegistry registry;
    final Map<Long, Update> latest = new HashMap<>();
    private final Random random = new Random(7);
    private int sequence;

    StreamFixture(Path dir, String topic) {
        this.dir = dir;
        this.topic = topic;
        Entity driver = Entity.of("driver", new JoinKey("driver_id", ScalarType.INT64));
        try (ParquetLog setup = ParquetLog.open(dir.resolve("offline"))) {
            FeatureView view = FeatureView.builder("driver_stats").entity("driver").source(setup.source("driver_stats"))
                    .feature("trips", "int64").feature("rating", "float64").feature("city", "string").feature("emb", "float32[3]").build();
            setup.initialize(view, driver.joinKeys());
            registry = FeatureRegistry.open(dir.resolve("registry"), OfflineStore.inspector(), Clock.systemUTC());
            registry.apply(FeatureRepository.builder().entity(driver).view(view).build());
        }
    }

    /** {@code n} updates for drivers 0..drivers-1 with distinct event times, shuffled so they arrive out of order. */
    List<Update> updates(int n, int drivers) {
        List<Update> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant t = T0.plusSeconds(sequence++);
            Update u = new Update(random.nextInt(drivers), t, random.nextInt(10_000), random.nextInt(10) == 0 ? null : random.nextInt(500) / 100.0,
                    "c" + random.nextInt(4), new float[] {random.nextFloat(), random.nextFloat(), i});
            out.add(u);
            latest.merge(u.driver(), u, (a, b) -> b.time().isAfter(a.time()) ? b : a);
        }
        Collections.shuffle(out, random);
        return out;
    }

    StreamIngestConfig.Builder config(KafkaBroker kafka, String deadLetters) {
        return StreamIngestConfig.builder().bootstrapServers(kafka.bootstrapServers()).groupId("ferry-" + topic)
                .topic(topic, "driver_stats").deadLetterTopic(deadLetters).offlineLog(dir.resolve("offline"))
                .maxPollRecords(100).pollTimeout(java.time.Duration.ofMillis(200));
    }

    static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return producer(kafka, Map.of());
    }

    static KafkaProducer<String, String> producer(KafkaBroker kafka, Map<String, Object> overrides) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000"));
        config.putAll(overrides);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    void send(KafkaProducer<String, String> p, List<String> messages) throws Exception {
        for (String m : messages) {
            p.send(new ProducerRecord<>(topic, null, m));
        }
        p.flush();
    }

    static List<String> json(List<Update> updates) {
        return updates.stream().map(Update::json).toList();
    }

    /** Every driver's online features, in driver order. */
    Map<Long, List<FeatureValue>> online(OnlineStore store, String view, int drivers) {
        List<EntityKey> keys = new ArrayList<>();
        for (long d = 0; d < drivers; d++) {
            keys.add(EntityKey.of(d));
        }
        Map<Long, List<FeatureValue>> out = new LinkedHashMap<>();
        List<EntityFeatures> got = store.read(view, keys, FEATURES);
        for (int i = 0; i < drivers; i++) {
            out.put((long) i, List.copyOf(got.get(i).features().values()));
        }
        return out;
    }
}
