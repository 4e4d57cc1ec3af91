package dev.ferry.kafka;

import dev.ferry.InvalidInputException;
import dev.ferry.serving.PredictionLogSink;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.serving.PredictionRecordJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Streams the prediction log to a Kafka topic: one JSON message per record (the layout of the
 * JSON Lines log, {@link PredictionRecordJson}, with its {@code "format"}), keyed by request id so a
 * prediction and its shadow land on one partition. Sending is asynchronous through the producer's
 * own buffer; {@code max.block.ms} bounds how long {@link #write} may wait for metadata or buffer
 * space, and after one such wait the rest of the batch is dropped at once, so a broker outage
 * costs the engine's log thread at most one wait per batch. Records the producer could not take,
 * or that failed to send (after its retries and {@code delivery.timeout.ms}), are counted in
 * {@link #dropped()}. Use the Parquet log for analytics files, the JSON Lines log for a local record.
 */
public final class KafkaPredictionLog implements PredictionLogSink {

    /** Producer settings this sink uses unless the caller overrides them. */
    static final Map<String, String> DEFAULTS = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "200",
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
            ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(32L << 20));

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    private KafkaPredictionLog(String topic, KafkaProducer<String, byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /**
     * @param bootstrap  {@code host:port[,host:port...]}
     * @param topic      the topic to send to (created by the broker if it allows that, else beforehand)
     * @param overrides  extra or replacing producer settings (security, {@code max.block.ms}, ...)
     */
    public static KafkaPredictionLog create(String bootstrap, String topic, Map<String, String> overrides) {
        List<String> problems = new ArrayList<>();
        if (bootstrap == null || bootstrap.isBlank()) {
            problems.add("bootstrap was '" + bootstrap + "' but it must be host:port[,host:port...]");
        }
        if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            problems.add("topic was '" + topic + "' but it must be 1 to 249 of letters, digits, '.', '_', '-'");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("Kafka prediction log: " + String.join("; ", problems));
        }
        Properties p = new Properties();
        p.putAll(DEFAULTS);
        p.putAll(overrides == null ? Map.of() : overrides);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, p.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "ferry-prediction-log"));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        return new KafkaPredictionLog(topic, producer);
    }

    /**
     * Fetches the topic's metadata, retrying until {@code timeout}, so that the first batch does
     * not spend its {@code max.block.ms} on it and get dropped on a slow start. Called once at
     * start-up, off the request path; false when the broker did not answer in time (the sink still
     * works, and counts what it drops).
     */
    public boolean awaitMetadata(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            try {
                return !producer.partitionsFor(topic).isEmpty();
            } catch (org.apache.kafka.common.KafkaException e) {
                // not yet: the producer waited max.block.ms; try again until the deadline
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /**
     * Hands each record to the producer. Never throws for a send problem: a record the producer
     * refuses or cannot take within {@code max.block.ms} is dropped with the rest of the batch.
     */
    @Override
    public void write(List<PredictionRecord> records) {
        for (int i = 0; i < records.size(); i++) {
            PredictionRecord r = records.get(i);
            byte[] value;
            try {
                value = PredictionRecordJson.toBytes(r);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                dropped.incrementAndGet();
                continue;
            }
            Delivery delivery = new Delivery(Thread.currentThread());
            try {
                producer.send(new ProducerRecord<>(topic, r.requestId(), value), delivery);
            } catch (RuntimeException e) {
                // The producer is closed or refused the record outright.
                dropped.addAndGet(records.size() - i);
                return;
            }
            delivery.handedOver = true;
            if (delivery.failedInline) {
                // No metadata or no buffer space within max.block.ms (the producer reports that through
                // the callback, on this thread): waiting again for each remaining record would stall
                // the engine's log thread, so the rest of the batch is dropped now.
                dropped.addAndGet(records.size() - i - 1);
                return;
            }
        }
    }

    /** Counts the outcome of one send; notes a failure reported on the sending thread before send returned. */
    private final class Delivery implements Callback {
        private final Thread caller;
        volatile boolean handedOver;
        volatile boolean failedInline;

        Delivery(Thread caller) {
            this.caller = caller;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error == null) {
                sent.incrementAndGet();
                return;
            }
            dropped.incrementAndGet();
            if (!handedOver && Thread.currentThread() == caller
                    && error instanceof TimeoutException) {
                failedInline = true;
            }
        }
    }

    /** Records not delivered: refused by the producer, not taken within max.block.ms, or failed after retries. */
    public long dropped() {
        return dropped.get();
    }

    /** Records the broker acknowledged. */
    public long sent() {
        return sent.get();
    }

    /** Waits until every record handed over so far is acknowledged or has failed (at most delivery.timeout.ms). */
    @Override
    public void flush() {
        producer.flush();
    }

    /** Sends what is buffered (waiting at most 10 seconds), then closes the producer. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
