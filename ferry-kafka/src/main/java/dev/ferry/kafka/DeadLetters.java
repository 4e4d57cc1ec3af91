package dev.ferry.kafka;

import dev.ferry.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends rejected messages, unchanged, to the dead-letter topic with the reason in headers
 * ({@code ferry.error.*}) and the origin ({@code ferry.source.*}). Sends are awaited before the
 * batch's offsets are committed, so a rejected message is never dropped silently.
 */
final class DeadLetters {

    static final String FIELD = "ferry.error.field";
    static final String VALUE = "ferry.error.value";
    static final String EXPECTED = "ferry.error.expected";
    static final String REASON = "ferry.error.reason";
    static final String VIEW = "ferry.view";
    static final String SOURCE_TOPIC = "ferry.source.topic";
    static final String SOURCE_PARTITION = "ferry.source.partition";
    static final String SOURCE_OFFSET = "ferry.source.offset";

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    DeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    void send(ConsumerRecord<byte[], byte[]> in, String view, Rejection why) {
        Headers h = new RecordHeaders();
        in.headers().forEach(h::add);
        put(h, FIELD, why.field());
        put(h, VALUE, why.value());
        put(h, EXPECTED, why.expected());
        put(h, REASON, why.reason());
        put(h, VIEW, view);
        put(h, SOURCE_TOPIC, in.topic());
        put(h, SOURCE_PARTITION, Integer.toString(in.partition()));
        put(h, SOURCE_OFFSET, Long.toString(in.offset()));
        pending.add(producer.send(new ProducerRecord<>(topic, null, in.key(), in.value(), h)));
    }

    /** Waits for every send since the last call; throws if any failed. */
    void awaitSent() {
        try {
            for (Future<RecordMetadata> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while sending to dead-letter topic " + topic, e);
        } catch (ExecutionException e) {
            throw new UnavailableException("dead-letter topic " + topic + " did not accept a message: " + e.getCause(), e.getCause());
        } finally {
            pending.clear();
        }
    }

    private static void put(Headers h, String key, String value) {
        h.remove(key);
        h.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
