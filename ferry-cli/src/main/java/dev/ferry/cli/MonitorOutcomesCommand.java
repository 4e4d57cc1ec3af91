package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.alert.AlertRules;
import dev.ferry.monitoring.outcome.FileOutcomeSource;
import dev.ferry.monitoring.outcome.IngestReport;
import dev.ferry.monitoring.outcome.KafkaOutcomeSource;
import dev.ferry.monitoring.outcome.LabelKind;
import dev.ferry.monitoring.outcome.LoggedPrediction;
import dev.ferry.monitoring.outcome.OutcomeIngestor;
import dev.ferry.monitoring.outcome.OutcomeSchema;
import dev.ferry.monitoring.outcome.OutcomeSource;
import dev.ferry.monitoring.outcome.OutcomeStore;
import dev.ferry.monitoring.outcome.PredictionLogReader;
import dev.ferry.monitoring.outcome.PostgresOutcomeSource;
import dev.ferry.monitoring.outcome.Rejection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry monitor outcomes}: bring in the labels that arrive after predictions. */
@Command(name = "outcomes", mixinStandardHelpOptions = true, description = "Outcomes (labels) joined to served predictions.",
        subcommands = {MonitorOutcomesCommand.Ingest.class})
final class MonitorOutcomesCommand {

    /** Shown in full; more rejections are counted only. */
    private static final int SHOWN_REJECTIONS = 20;

    /**
     * {@code ferry monitor outcomes ingest}: reads outcomes from a file, a PostgreSQL table or a
     * Kafka topic, joins them to the prediction log and stores them under the data directory.
     */
    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Join outcomes from a CSV/Parquet file, a PostgreSQL table or a Kafka topic to the prediction log"
                    + " and store them in <data-dir>/outcomes.")
    static final class Ingest implements Callable<Integer> {

        @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}",
                description = "Ferry's data directory; outcomes go to <data-dir>/outcomes (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--predictions", description = "Prediction log file or directory, JSON Lines or Parquet; repeat for several"
                + " (default: <data-dir>/predictions).")
        List<Path> predictions;

        @ArgGroup(exclusive = true, multiplicity = "1")
        SourceOptions source;

        static final class SourceOptions {
            @Option(names = "--file", description = "A CSV (with header) or Parquet file of outcomes.")
            Path file;

            @Option(names = "--postgres", description = "A jdbc:postgresql:// URL; needs --table.")
            String postgres;

            @Option(names = "--kafka", description = "Kafka bootstrap servers; needs --topic.")
            String kafka;
        }

        @Option(names = "--table", description = "PostgreSQL table (or view) of outcomes.")
        String table;

        @Option(names = "--user", defaultValue = "${env:PGUSER:-postgres}", description = "PostgreSQL user (default: ${DEFAULT-VALUE}).")
        String user;

        @Option(names = "--password", defaultValue = "${env:PGPASSWORD:-}", description = "PostgreSQL password (default: $PGPASSWORD).")
        String password;

        @Option(names = "--topic", description = "Kafka topic of JSON outcome messages.")
        String topic;

        @Option(names = "--group", defaultValue = "ferry-outcomes", description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
        String group;

        @Option(names = "--request-id", description = "Field holding the request id: join each outcome to that request's predictions.")
        String requestId;

        @Option(names = "--entity", split = ",", description = "Fields holding the entity keys (as named in the log): join to the"
                + " entity's latest prediction at or before the outcome's time.")
        List<String> entity;

        @Option(names = "--time", description = "Field holding when the outcome was observed (required with --entity).")
        String time;

        @Option(names = "--label", required = true, description = "Field holding the label.")
        String label;

        @Option(names = "--label-kind", defaultValue = "binary", description = "binary (0/1, true/false) or numeric (default: ${DEFAULT-VALUE}).")
        String labelKind;

        @Option(names = "--window", defaultValue = "1d",
                description = "How far before an outcome an entity's prediction may be: 90s, 30m, 2h, 7d (default: ${DEFAULT-VALUE}).")
        String window;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            OutcomeSchema schema = new OutcomeSchema(Optional.ofNullable(requestId), entity == null ? List.of() : entity,
                    Optional.ofNullable(time), label, kind(labelKind));
            Duration join = duration("--window", window);
            List<LoggedPrediction> logged = new ArrayList<>();
            for (Path p : predictions == null ? List.of(dataDir.resolve("predictions")) : predictions) {
                logged.addAll(PredictionLogReader.read(p));
            }
            Clock clock = Clock.systemUTC();
            OutcomeStore store = OutcomeStore.inDataDir(dataDir, clock);
            OutcomeIngestor ingestor = new OutcomeIngestor(schema, logged, join, store, clock, 10_000);
            PrintWriter out = spec.commandLine().getOut();
            IngestReport r;
            try (OutcomeSource src = open();
                 ProgressBar bar = new ProgressBarBuilder().setTaskName("outcomes").setStyle(ProgressBarStyle.ASCII).setInitialMax(-1)
                         .setUnit(" records", 1).continuousUpdate().build()) {
                r = ingestor.ingest(src, bar::stepTo);
            }
            out.printf("read %d outcome records from %s: %d joined to %d logged predictions, %d matched no prediction, %d rejected%n",
                    r.read(), describe(), r.joined(), logged.size(), r.unmatched(), r.rejectedCount());
            r.rejected().stream().limit(SHOWN_REJECTIONS).map(Rejection::message).forEach(m -> out.println("  rejected " + m));
            if (r.rejectedCount() > SHOWN_REJECTIONS) {
                out.printf("  ... and %d more rejected%n", r.rejectedCount() - SHOWN_REJECTIONS);
            }
            out.printf("stored in %s%n", store.directory());
            return 0;
        }

        private OutcomeSource open() {
            if (source.file != null) {
                return new FileOutcomeSource(source.file);
            }
            if (source.postgres != null) {
                if (table == null) {
                    throw new InvalidInputException("--table was missing but --postgres needs the table of outcomes");
                }
                return new PostgresOutcomeSource(source.postgres, user, password, table);
            }
            if (topic == null) {
                throw new InvalidInputException("--topic was missing but --kafka needs the topic of outcomes");
            }
            return new KafkaOutcomeSource(source.kafka, topic, group, Duration.ofSeconds(60));
        }

        private String describe() {
            return source.file != null ? source.file.toString() : source.postgres != null ? "table " + table : "topic " + topic;
        }
    }

    static LabelKind kind(String text) {
        try {
            return LabelKind.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--label-kind was '" + text + "' but binary or numeric is expected");
        }
    }

    static Duration duration(String option, String text) {
        Duration d = AlertRules.parseDuration(text);
        if (d == null || d.isZero() || d.isNegative()) {
            throw new InvalidInputException(option + " was '" + text + "' but a positive duration like 90s, 30m, 2h or 7d is expected");
        }
        return d;
    }
}
