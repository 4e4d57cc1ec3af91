package dev.ferry.monitoring.outcome;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Outcomes from a Kafka topic of JSON objects, read from the consumer group's committed offsets
 * (or the beginning) up to the end offsets seen when the source opened: one ingestion run takes
 * what is there and stops. Offsets are committed only by {@link #commit()}, after the ingestor
 * stored the batch, so a crash re-reads outcomes instead of losing them (the store keeps one
 * outcome per prediction, so a re-read changes nothing). A message that is not a JSON object is
 * returned as undecodable and rejected by the ingestor. Positions are {@code topic-partition@offset}.
 */
public final class KafkaOutcomeSource implements OutcomeSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> end;
    private final Map<TopicPartition, Long> returned = new HashMap<>();
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final Duration maxIdle;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the topic of outcome messages
     * @param groupId          consumer group whose committed offsets mark what was ingested
     * @param maxIdle          how long polls may return nothing before the broker counts as unreachable
     */
    public KafkaOutcomeSource(String bootstrapServers, String topic, String groupId, Duration maxIdle) {
        if (topic == null || topic.isBlank()) {
            throw new InvalidInputException("outcome topic was '" + topic + "' but a topic name is expected");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new InvalidInputException("consumer group was '" + groupId + "' but a group id is expected");
        }
        this.topic = topic;
        this.maxIdle = maxIdle;
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            var infos = consumer.partitionsFor(topic, maxIdle);
            if (infos == null || infos.isEmpty()) {
                throw new InvalidInputException("outcome topic was '" + topic + "' but no such topic exists");
            }
            this.partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), maxIdle);
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata o = committed.get(tp);
                if (o == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, o.offset());
                }
            }
            this.end = consumer.endOffsets(partitions, maxIdle);
        } catch (KafkaException e) {
            consumer.close();
            throw new UnavailableException("Kafka topic " + topic + " at " + bootstrapServers + " cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    @Override
    public List<SourceRow> next(int max) {
        long idleSince = System.nanoTime();
        while (pending.isEmpty() && !caughtUp()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < end.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)) {
                    pending.add(r);
                }
            }
            if (pending.isEmpty() && System.nanoTime() - idleSince > maxIdle.toNanos()) {
                throw new UnavailableException("Kafka topic " + topic + " returned nothing for " + maxIdle
                        + " before its end offsets " + end + " were reached");
            }
        }
        List<SourceRow> out = new ArrayList<>();
        while (out.size() < max && !pending.isEmpty()) {
            ConsumerRecord<byte[], byte[]> r = pending.poll();
            returned.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            out.add(decode(r));
        }
        return out;
    }

    private boolean caughtUp() {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    private static SourceRow decode(ConsumerRecord<byte[], byte[]> r) {
        String position = r.topic() + "-" + r.partition() + "@" + r.offset();
        if (r.value() == null) {
            return SourceRow.undecodable(position, "(empty message)");
        }
        try {
            return SourceRow.of(position, JSON.readValue(r.value(), MAP));
        } catch (IOException e) {
            String text = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
            return SourceRow.undecodable(position, "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'");
        }
    }

    @Override
    public void commit() {
        if (returned.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        returned.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        consumer.commitSync(offsets);
        returned.clear();
    }

    @Override
    public String describe() {
        return "topic " + topic;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
