package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.kafka.KafkaIngestor;
import dev.ferry.kafka.StreamIngestConfig;
import dev.ferry.online.OnlineStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry ingest}: stream feature updates from Kafka into the online store (and the offline
 * log) until interrupted. Each message is a JSON object of one view's join keys, event time and
 * features; bad ones go to the dead-letter topic with the reason.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Stream JSON feature updates from Kafka topics into the online store and the offline log, until Ctrl-C.")
final class IngestCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}",
            description = "Ferry's data directory (feature registry, online store, offline log) (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers, host:port[,host:port].")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC=VIEW",
            description = "A topic and the feature view its messages update; repeat for several.")
    Map<String, String> topics;

    @Option(names = "--dead-letter", required = true, description = "Topic that receives invalid messages with the reason in headers.")
    String deadLetter;

    @Option(names = "--group", defaultValue = "ferry-ingest", description = "Consumer group (default: ${DEFAULT-VALUE}).")
    String group;

    @Mixin
    OnlineStoreOption online;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (topics.isEmpty()) {
            throw new InvalidInputException("--topic was empty but at least one TOPIC=VIEW is needed");
        }
        StreamIngestConfig.Builder config = StreamIngestConfig.builder().bootstrapServers(bootstrap).groupId(group)
                .deadLetterTopic(deadLetter).offlineLog(dataDir.resolve("stream-log"));
        topics.forEach(config::topic);
        Clock clock = Clock.systemUTC();
        FeatureRegistry registry = Wiring.features(dataDir);
        PrintWriter out = spec.commandLine().getOut();
        try (OnlineStore store = online.open(dataDir, clock);
             KafkaIngestor ingestor = KafkaIngestor.create(config.build(), registry, store, new SimpleMeterRegistry(), clock)) {
            Runtime.getRuntime().addShutdownHook(new Thread(ingestor::close, "ferry-ingest-shutdown"));
            out.printf("ingesting %s from %s; dead letters to %s; Ctrl-C to stop%n", ingestor.onlineViews(), bootstrap, deadLetter);
            out.flush();
            ingestor.run();
        }
        return 0;
    }
}
