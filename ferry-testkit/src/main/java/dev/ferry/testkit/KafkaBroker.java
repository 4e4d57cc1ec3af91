package dev.ferry.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker for tests. {@link #shared()} reuses the cluster named by
 * {@code FERRY_TEST_KAFKA_BOOTSTRAP} ({@code host:port,...}) when set, else starts a single-node
 * KRaft cluster in this JVM with Kafka's own test kit on random ports, once per JVM, stopped at
 * exit. Tests isolate themselves with {@link #newTopicName(String)}. Use {@link #startEmbedded()}
 * for a private broker a test may {@link #restart()}.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The environment variable naming an existing Kafka to reuse. */
    public static final String ENV = "FERRY_TEST_KAFKA_BOOTSTRAP";

    private static KafkaBroker shared;

    private final String bootstrapServers;
    private final KafkaClusterTestKit cluster;

    private KafkaBroker(String bootstrapServers, KafkaClusterTestKit cluster) {
        this.bootstrapServers = bootstrapServers;
        this.cluster = cluster;
    }

    /** The JVM-wide test Kafka: the one named by {@value #ENV}, or an in-process one started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            String bootstrap = System.getenv(ENV);
            if (bootstrap != null && !bootstrap.isBlank()) {
                shared = new KafkaBroker(bootstrap.trim(), null);
            } else {
                KafkaBroker started = startEmbedded();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "ferry-test-kafka-stop"));
                shared = started;
            }
        }
        return shared;
    }

    /** Starts a private single-node KRaft cluster (combined broker and controller) on random ports. */
    public static KafkaBroker startEmbedded() {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster.bootstrapServers(), cluster);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka could not be started: " + e, e);
        }
    }

    /** {@code host:port} list for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** True when this broker runs in this JVM (so it can be restarted). */
    public boolean isEmbedded() {
        return cluster != null;
    }

    /** A topic name no other test uses, e.g. {@code trips-3f2a...}. */
    public String newTopicName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a topic with {@code partitions} partitions and replication factor 1, waiting until it exists. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("topic " + name + " could not be created: " + e, e);
        }
    }

    /** An admin client for this broker; close it. */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    /** Stops the broker process (the KRaft controller keeps running); clients see it as down. */
    public void stopBroker() {
        requireEmbedded("stopped");
        for (BrokerServer b : cluster.brokers().values()) {
            b.shutdown(Duration.ofSeconds(30));
            b.awaitShutdown();
        }
    }

    /** Starts the broker again on the same port, with the log it had, and waits until it serves. */
    public void startBroker() {
        requireEmbedded("started");
        for (BrokerServer b : cluster.brokers().values()) {
            b.startup();
        }
        try {
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker did not become ready after a restart: " + e, e);
        }
    }

    /** {@link #stopBroker()} then {@link #startBroker()}. */
    public void restart() {
        stopBroker();
        startBroker();
    }

    private void requireEmbedded(String what) {
        if (cluster == null) {
            throw new IllegalStateException("the Kafka at " + bootstrapServers + " is not embedded, so it cannot be " + what
                    + " by a test; use KafkaBroker.startEmbedded() for a broker a test controls");
        }
    }

    /** Stops an embedded cluster and deletes its logs; a reused external one is left alone. */
    @Override
    public void close() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("embedded Kafka could not be stopped: " + e, e);
            }
        }
    }
}
