package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.features.ApplyResult;
import dev.ferry.features.EntityRows;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.QueryResult;
import dev.ferry.features.RegisteredView;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.features.TrainingSetRequest;
import dev.ferry.features.materialize.MaterializationResult;
import dev.ferry.features.materialize.Materializer;
import dev.ferry.features.materialize.ProgressListener;
import dev.ferry.features.materialize.Watermarks;
import dev.ferry.online.OnlineStore;
import dev.ferry.types.Row;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry features ...}: the feature store from the command line. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Apply feature definitions, build point-in-time training sets, query the offline store, materialize online, read online.",
        subcommands = {FeaturesCommand.Apply.class, FeaturesCommand.ListViews.class, FeaturesCommand.TrainingSet.class,
                FeaturesCommand.Sql.class, FeaturesCommand.Materialize.class, FeaturesGetCommand.class})
final class FeaturesCommand {

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}",
                description = "Ferry's data directory; the feature registry is <data-dir>/features (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() throws Exception {
            run(Wiring.features(dataDir));
            out().flush();
            return 0;
        }

        abstract void run(FeatureRegistry registry) throws Exception;
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Validate a feature repository (YAML files or a directory of them) and record it; every problem is reported at once.")
    static final class Apply extends Base {
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "YAML files or directories.")
        List<Path> paths;

        @Option(names = "--prune", description = "Remove recorded entities, views and services that are not in these files "
                + "(pinned view versions stay readable). Without it they are kept: several repositories may share one registry.")
        boolean prune;

        @Override
        void run(FeatureRegistry registry) {
            ApplyResult result = registry.apply(FeatureRepository.load(paths.toArray(Path[]::new)), prune);
            for (ApplyResult.Change c : result.changes()) {
                out().printf("%-8s %-24s %-12s%s%s%n", c.kind(), c.name(), c.action(),
                        c.version() > 0 ? " version " + c.version() : "", c.detail() == null || c.detail().isEmpty() ? "" : " (" + c.detail() + ")");
            }
            out().println(result.unchanged() ? "nothing changed" : "applied");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List feature views (latest versions) and services.")
    static final class ListViews extends Base {
        @Override
        void run(FeatureRegistry registry) {
            out().printf("%-28s %-8s %-24s %-10s %s%n", "VIEW", "VERSION", "ENTITIES", "MAX AGE", "FEATURES");
            for (RegisteredView rv : registry.views()) {
                out().printf("%-28s %-8d %-24s %-10s %s%n", rv.name(), rv.version(), rv.view().entities(),
                        rv.view().maxAge().map(Object::toString).orElse("-"), rv.view().schema().names());
            }
            registry.services().forEach(s -> out().printf("service %s: %s%n", s.name(), s));
        }
    }

    @Command(name = "training-set", mixinStandardHelpOptions = true,
            description = "Join features to entity rows as of each row's time (point-in-time correct) and write Parquet or CSV with a manifest.")
    static final class TrainingSet extends Base {
        @Option(names = "--entities", required = true, description = "Entity rows: a .parquet or .csv file.")
        Path entities;

        @Option(names = "--time-column", defaultValue = "event_timestamp", description = "Entity rows' time column (default: ${DEFAULT-VALUE}).")
        String timeColumn;

        @Option(names = "--service", description = "A feature service.")
        String service;

        @Option(names = "--features", split = ",", description = "view:feature or view references, comma-separated.")
        List<String> features;

        @Option(names = {"-o", "--output"}, required = true, description = "Output file (.parquet or .csv).")
        Path output;

        @Option(names = "--full-names", description = "Name columns view__feature.")
        boolean fullNames;

        @Override
        void run(FeatureRegistry registry) {
            if (service == null && (features == null || features.isEmpty())) {
                throw new InvalidInputException("--service and --features were both missing; give one of them");
            }
            TrainingSetRequest.Builder b = TrainingSetRequest.builder()
                    .entities(EntityRows.file(entities).timeColumn(timeColumn)).output(output).fullFeatureNames(fullNames);
            if (service != null) {
                b.service(service);
            }
            if (features != null) {
                b.features(features.toArray(String[]::new));
            }
            try (OfflineStore store = OfflineStore.open(registry)) {
                TrainingSetManifest m = store.trainingSet(b.build());
                out().printf("%d rows written to %s%n", m.entities().rows(), m.output().path());
                m.views().forEach(v -> out().printf("  %s@%d: %d of %d rows matched%n", v.view(), v.version(), v.matched(), m.entities().rows()));
                out().printf("  training data fingerprint %s%n", m.toTrainingData().fingerprint());
            }
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true,
            description = "Run SQL over the offline store; every registered view is a table of that name.")
    static final class Sql extends Base {
        @Parameters(paramLabel = "QUERY")
        String query;

        @Option(names = "--max-rows", defaultValue = "100")
        int maxRows;

        @Override
        void run(FeatureRegistry registry) {
            try (OfflineStore store = OfflineStore.open(registry)) {
                QueryResult r = store.sql(query, maxRows);
                out().println(String.join("\t", r.columns()));
                for (Row row : r.rows()) {
                    List<String> cells = new ArrayList<>();
                    for (String c : r.columns()) {
                        cells.add(String.valueOf(row.get(c)));
                    }
                    out().println(String.join("\t", cells));
                }
                if (r.truncated()) {
                    out().printf("(first %d rows; --max-rows for more)%n", maxRows);
                }
            }
        }
    }

    @Command(name = "materialize", mixinStandardHelpOptions = true,
            description = "Copy the latest feature values into the online store: incrementally since the last run, or for a time range.")
    static final class Materialize extends Base {
        @Parameters(arity = "0..*", paramLabel = "VIEW", description = "Views (default: every online view).")
        List<String> views;

        @Option(names = "--from", description = "Start of the event-time range (ISO-8601); with --to, instead of incremental.")
        Instant from;

        @Option(names = "--to", description = "End of the event-time range (ISO-8601, exclusive; default now).")
        Instant to;

        @Mixin
        OnlineStoreOption online;

        @Override
        void run(FeatureRegistry registry) {
            List<String> targets = views != null && !views.isEmpty() ? views
                    : registry.views().stream().filter(v -> v.view().online()).map(RegisteredView::name).toList();
            Clock clock = Clock.systemUTC();
            try (OnlineStore store = online.open(dataDir, clock); OfflineStore offline = OfflineStore.open(registry)) {
                Materializer m = Materializer.builder().registry(registry).offline(offline).online(store)
                        .watermarks(Watermarks.in(dataDir.resolve("features"))).clock(clock).build();
                for (String view : targets) {
                    MaterializationResult r = withProgressBar(view, p -> from != null
                            ? m.materialize(view, from, to != null ? to : clock.instant(), p)
                            : m.materializeIncremental(view, p));
                    out().printf("%s: %d rows online (event time %s .. %s) at %.0f rows/s%n", r.view(), r.rows(), r.from(), r.to(),
                            r.rowsPerSecond());
                }
            }
        }
    }

    /** Runs {@code work} with a progress bar on the terminal (plain lines when output is not a terminal). */
    static MaterializationResult withProgressBar(String task, java.util.function.Function<ProgressListener, MaterializationResult> work) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII).setInitialMax(0)
                .setUnit(" rows", 1).continuousUpdate().build()) {
            return work.apply((done, total) -> {
                bar.maxHint(total);
                bar.stepTo(done);
            });
        }
    }
}
