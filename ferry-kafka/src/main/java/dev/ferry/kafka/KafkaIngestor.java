package dev.ferry.kafka;

import dev.ferry.NotFoundException;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.JoinKey;
import dev.ferry.features.RegisteredView;
import dev.ferry.online.OnlineRecord;
import dev.ferry.online.OnlineStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams feature updates from Kafka into the feature store: each JSON message is validated
 * against its view's schema, upserted into the online store under the view's versioned name by
 * event time, and appended to the view's {@link ParquetLog}; a message that fails validation goes
 * to the dead-letter topic with the reason and never stops the stream. Delivery is at-least-once
 * with idempotent writes: a batch's offsets are committed only after its dead letters, online
 * write and offline append all succeeded, and a batch delivered again overwrites its own
 * results. For bulk loads from the offline store use the materializer instead.
 *
 * <p>One thread polls: call {@link #run()} on it (until {@link #close()}), or {@link #pollOnce()} in a loop.
 */
public final class KafkaIngestor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestor.class);

    private final StreamIngestConfig config;
    private final Map<String, ViewTarget> targets;
    private final OnlineStore online;
    private final Optional<ParquetLog> offline;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final DeadLetters deadLetters;
    private final ReentrantLock polling = new ReentrantLock();
    private volatile boolean stopped;
    private volatile Runnable beforeCommit = () -> { };

    private KafkaIngestor(StreamIngestConfig config, FeatureRegistry registry, OnlineStore online, MeterRegistry meters, Clock clock) {
        this.config = config;
        this.online = Objects.requireNonNull(online, "online store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new IngestMetrics(Objects.requireNonNull(meters, "meter registry"));
        Map<String, ViewTarget> t = new LinkedHashMap<>();
        config.topics().forEach((topic, ref) -> t.put(topic, target(registry, topic, ref)));
        this.targets = Map.copyOf(t);
        this.offline = config.offlineLog().map(ParquetLog::open);
        offline.ifPresent(log -> targets.values().forEach(v -> {
            log.initialize(v.view(), v.keys());
            if (!log.source(v.view().name()).equals(v.view().source())) {
                LOG.warn("view {} reads {} but stream updates are logged to {}; training sets will not see them",
                        v.onlineName(), v.view().source().describe(), log.source(v.view().name()).describe());
            }
        }));
        this.consumer = new KafkaConsumer<>(consumerProps(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProps(config), new ByteArraySerializer(), new ByteArraySerializer());
        this.deadLetters = new DeadLetters(producer, config.deadLetterTopic());
        consumer.subscribe(List.copyOf(targets.keySet()));
    }

    /**
     * An ingestor subscribed to every topic of {@code config}; views are resolved in
     * {@code registry} now, so a later apply does not change where this ingestor writes.
     */
    public static KafkaIngestor create(StreamIngestConfig config, FeatureRegistry registry, OnlineStore online,
                                       MeterRegistry meters, Clock clock) {
        return new KafkaIngestor(config, registry, online, meters, clock);
    }

    /** The online view name ({@code name@version}) each topic writes to. */
    public Map<String, String> onlineViews() {
        Map<String, String> out = new LinkedHashMap<>();
        targets.forEach((topic, v) -> out.put(topic, v.onlineName()));
        return out;
    }

    /**
     * Polls once and ingests what arrived; returns how many messages were handled (accepted or
     * dead-lettered and committed). If any step fails, the consumer is moved back to the batch's
     * first offsets, nothing is committed, and the exception is thrown: the next poll redoes the batch.
     */
    public int pollOnce() {
        polling.lock();
        try {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
            if (records.isEmpty()) {
                return 0;
            }
            try {
                ingest(records);
            } catch (RuntimeException e) {
                rewind(records);
                throw e;
            }
            return records.count();
        } finally {
            polling.unlock();
        }
    }

    /** Polls and ingests until {@link #close()}; a failed batch is retried after the configured backoff. */
    public void run() {
        while (!stopped) {
            try {
                pollOnce();
            } catch (WakeupException e) {
                if (!stopped) {
                    throw e;
                }
            } catch (RuntimeException e) {
                // At least once: a batch is never skipped, so a failure (broker, store, disk) is retried until it passes.
                LOG.warn("stream batch failed and will be retried: {}", e.toString());
                pause();
            }
        }
    }

    private void ingest(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Map<ViewTarget, List<OnlineRecord>> accepted = new LinkedHashMap<>();
        Map<TopicPartition, List<OfflineRow>> offlineRows = new LinkedHashMap<>();
        Map<ViewTarget, Integer> rejected = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            ViewTarget target = targets.get(tp.topic());
            List<ConsumerRecord<byte[], byte[]>> part = records.records(tp);
            List<OfflineRow> rows = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : part) {
                switch (MessageDecoder.decode(target, r.value())) {
                    case MessageDecoder.Accepted a -> {
                        accepted.computeIfAbsent(target, k -> new ArrayList<>()).add(a.record());
                        rows.add(new OfflineRow(a.keys(), a.record(), r.offset()));
                    }
                    case MessageDecoder.Rejected x -> {
                        deadLetters.send(r, target.onlineName(), x.rejection());
                        rejected.merge(target, 1, Integer::sum);
                    }
                }
            }
            offlineRows.put(tp, rows);
            commit.put(tp, new OffsetAndMetadata(part.getLast().offset() + 1));
        }
        deadLetters.awaitSent();
        for (Map.Entry<ViewTarget, List<OnlineRecord>> e : accepted.entrySet()) {
            online.write(e.getKey().onlineName(), e.getValue());
            Instant servable = clock.instant();
            for (OnlineRecord r : e.getValue()) {
                metrics.servable(e.getKey().onlineName(), Duration.between(r.eventTime(), servable));
            }
        }
        offline.ifPresent(log -> {
            Instant now = clock.instant();
            offlineRows.forEach((tp, rows) -> {
                ViewTarget target = targets.get(tp.topic());
                log.append(target.view(), target.keys(), tp.topic(), tp.partition(), records.records(tp).getFirst().offset(), rows, now);
                if (config.offlineCompactAfter() > 0) {
                    // before the commit: a crash after it redelivers the batch, which the compacted file's watermark then drops
                    log.compact(target.view().name(), tp.topic(), tp.partition(), config.offlineCompactAfter());
                }
            });
        });
        beforeCommit.run();
        consumer.commitSync(commit);
        accepted.forEach((v, list) -> metrics.accepted(v.onlineName(), list.size()));
        rejected.forEach((v, n) -> metrics.rejected(v.onlineName(), n));
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            try {
                consumer.seek(tp, records.records(tp).getFirst().offset());
            } catch (IllegalStateException e) {
                // The partition was revoked meanwhile; its new owner starts from the committed offset.
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(config.retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Test seam: runs after a batch is written and before its offsets are committed. */
    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    /** Stops {@link #run()} (from any thread), waits for the current batch, then closes the Kafka clients and the offline log. */
    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
        polling.lock();
        try {
            consumer.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
            offline.ifPresent(ParquetLog::close);
        } finally {
            polling.unlock();
        }
    }

    private static ViewTarget target(FeatureRegistry registry, String topic, String ref) {
        RegisteredView rv = registry.view(ref);
        List<JoinKey> keys = new ArrayList<>();
        for (String e : rv.view().entities()) {
            keys.addAll(registry.entity(e).orElseThrow(() -> new NotFoundException("entity '" + e + "' of view '" + rv.ref()
                    + "' (topic " + topic + ") is not in the registry")).joinKeys());
        }
        return new ViewTarget(topic, rv, List.copyOf(keys));
    }

    private static Map<String, Object> consumerProps(StreamIngestConfig c) {
        Map<String, Object> p = new HashMap<>(c.kafka());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, c.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(c.maxPollRecords()));
        return p;
    }

    private static Map<String, Object> producerProps(StreamIngestConfig c) {
        Map<String, Object> p = new HashMap<>(c.kafka());
        p.keySet().removeIf(k -> k.startsWith("group.") || k.startsWith("auto.") || k.startsWith("max.poll"));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

}
