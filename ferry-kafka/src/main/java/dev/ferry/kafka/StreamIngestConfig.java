package dev.ferry.kafka;

import dev.ferry.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link KafkaIngestor} reads and writes: the brokers, its consumer group, which topic
 * feeds which feature view ({@code topic -> view} or {@code view@version}), the dead-letter topic
 * for messages that fail validation, and the root of the Parquet offline log (empty: online only)
 * with how many batch files of a partition it gathers before compacting them into one
 * ({@link ParquetLog#compact}; 0: never).
 * Extra Kafka client settings (security, timeouts) go in {@link #kafka()}.
 */
public record StreamIngestConfig(String bootstrapServers, String groupId, Map<String, String> topics,
                                 String deadLetterTopic, Optional<Path> offlineLog, int maxPollRecords,
                                 Duration pollTimeout, Duration retryBackoff, Map<String, String> kafka,
                                 int offlineCompactAfter) {

    public StreamIngestConfig {
        List<String> problems = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("bootstrapServers was empty but it must be a host:port list");
        }
        if (groupId == null || groupId.isBlank()) {
            problems.add("groupId was empty but it must name the consumer group");
        }
        if (topics == null || topics.isEmpty()) {
            problems.add("topics were empty but at least one topic must map to a view");
        }
        if (deadLetterTopic == null || deadLetterTopic.isBlank()) {
            problems.add("deadLetterTopic was empty but rejected messages need a topic");
        } else if (topics != null && topics.containsKey(deadLetterTopic)) {
            problems.add("deadLetterTopic was '" + deadLetterTopic + "' but it is also an input topic");
        }
        if (maxPollRecords < 1) {
            problems.add("maxPollRecords was " + maxPollRecords + " but it must be at least 1");
        }
        if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.isZero()) {
            problems.add("pollTimeout was " + pollTimeout + " but it must be positive");
        }
        if (offlineCompactAfter < 0) {
            problems.add("offlineCompactAfter was " + offlineCompactAfter + " but it must be zero (never) or positive");
        }
        if (retryBackoff == null || retryBackoff.isNegative()) {
            problems.add("retryBackoff was " + retryBackoff + " but it must be zero or positive");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("stream ingestion config is invalid: " + String.join("; ", problems));
        }
        topics = Map.copyOf(topics);
        offlineLog = offlineLog == null ? Optional.empty() : offlineLog;
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link StreamIngestConfig}; every setting has a default except brokers, group, topics. */
    public static final class Builder {
        private String bootstrapServers;
        private String groupId;
        private final Map<String, String> topics = new LinkedHashMap<>();
        private String deadLetterTopic = "ferry-dead-letters";
        private Path offlineLog;
        private int maxPollRecords = 1000;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration retryBackoff = Duration.ofSeconds(1);
        private int offlineCompactAfter = 64;
        private final Map<String, String> kafka = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Messages on {@code topic} are updates of {@code viewRef} ({@code name} = latest version). */
        public Builder topic(String topic, String viewRef) {
            if (topics.putIfAbsent(topic, viewRef) != null) {
                throw new InvalidInputException("topic '" + topic + "' was already mapped to view '" + topics.get(topic) + "'");
            }
            return this;
        }

        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = topic;
            return this;
        }

        /** Root directory of the Parquet offline log; each view gets a sub-directory (see {@link ParquetLog}). */
        public Builder offlineLog(Path root) {
            this.offlineLog = root;
            return this;
        }

        /** Compacts a partition's offline files once it has this many batch files (default 64; 0: never). */
        public Builder offlineCompactAfter(int files) {
            this.offlineCompactAfter = files;
            return this;
        }

        public Builder maxPollRecords(int n) {
            this.maxPollRecords = n;
            return this;
        }

        public Builder pollTimeout(Duration d) {
            this.pollTimeout = d;
            return this;
        }

        /** Pause of {@link KafkaIngestor#run()} after a failed batch before it tries again. */
        public Builder retryBackoff(Duration d) {
            this.retryBackoff = d;
            return this;
        }

        /** An extra Kafka client setting, passed to both the consumer and the dead-letter producer. */
        public Builder kafka(String key, String value) {
            kafka.put(key, value);
            return this;
        }

        public StreamIngestConfig build() {
            return new StreamIngestConfig(bootstrapServers, groupId, topics, deadLetterTopic, Optional.ofNullable(offlineLog),
                    maxPollRecords, pollTimeout, retryBackoff, kafka, offlineCompactAfter);
        }
    }
}
