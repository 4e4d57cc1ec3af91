package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.batch.BadRow;
import dev.ferry.batch.BadRowPolicy;
import dev.ferry.batch.BatchJob;
import dev.ferry.batch.BatchResult;
import dev.ferry.batch.BatchSpec;
import dev.ferry.batch.TableSource;
import dev.ferry.features.OfflineStore;
import dev.ferry.online.OnlineStore;
import dev.ferry.online.ViewPointers;
import dev.ferry.registry.ModelRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

/**
 * {@code ferry score}: scores a whole table once with a registry model, with a progress bar, into
 * a Parquet file and/or an online view published under a new version; {@code ferry score versions}
 * and {@code ferry score rollback} show and move a view's version pointer.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a table (Parquet, CSV, offline-store SQL, PostgreSQL) with a registry model, into Parquet and/or an online view.",
        subcommands = {ScoreCommand.Versions.class, ScoreCommand.Rollback.class})
final class ScoreCommand implements Callable<Integer> {

    @Mixin
    RegistryOptions registryOptions;

    @Mixin
    OnlineStoreOption online;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "Registry model name (required to score).")
    String model;

    @Option(names = "--ref", defaultValue = "latest", description = "Version number or alias (default: ${DEFAULT-VALUE}).")
    String ref;

    @Option(names = "--parquet", paramLabel = "FILE", description = "Input: a Parquet file (or glob).")
    Path parquet;

    @Option(names = "--csv", paramLabel = "FILE", description = "Input: a CSV file with a header line.")
    Path csv;

    @Option(names = "--sql", paramLabel = "QUERY", description = "Input: a SQL query over the offline store's feature views.")
    String sql;

    @Option(names = "--postgres-table", paramLabel = "TABLE", description = "Input: a PostgreSQL table (with --postgres-url).")
    String postgresTable;

    @Option(names = "--postgres-url", paramLabel = "JDBC_URL", defaultValue = "${env:FERRY_POSTGRES_URL}",
            description = "jdbc:postgresql://host:port/db (env FERRY_POSTGRES_URL; user and password from FERRY_POSTGRES_USER/PASSWORD).")
    String postgresUrl;

    @Option(names = "--key", split = ",", description = "Key columns copied to the output; the online view's entity key.")
    List<String> keys = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the scores to this Parquet file.")
    Path output;

    @Option(names = "--online-view", paramLabel = "NAME", description = "Publish the scores as this online view (new version, switched atomically).")
    String onlineView;

    @Option(names = "--chunk-rows", defaultValue = "2048", description = "Rows per model call (default: ${DEFAULT-VALUE}).")
    int chunkRows;

    @Option(names = "--workers", description = "Scoring threads (default: one per core).")
    Integer workers;

    @Option(names = "--bad-rows", defaultValue = "fail", description = "fail or skip (default: ${DEFAULT-VALUE}).")
    String badRows;

    @Option(names = "--retain", defaultValue = "3", description = "Online versions kept for rollback (default: ${DEFAULT-VALUE}).")
    int retain;

    @Override
    public Integer call() {
        if (model == null) {
            throw new InvalidInputException("--model was missing but scoring needs a registry model name");
        }
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        List<AutoCloseable> opened = new ArrayList<>();
        try (ModelRegistry registry = registryOptions.open()) {
            BatchSpec.Builder b = BatchSpec.builder(source(opened), model, ref).keyColumns(keys).chunkRows(chunkRows)
                    .badRows(policy(badRows)).retainVersions(retain);
            if (workers != null) {
                b.workers(workers);
            }
            if (output != null) {
                b.parquet(output);
            }
            if (onlineView != null) {
                b.onlineView(onlineView);
            }
            BatchSpec job = b.build();
            BatchResult r;
            if (onlineView != null) {
                try (OnlineStore store = online.open(registryOptions.dataDir, clock)) {
                    r = withProgressBar(model, p -> BatchJob.with(registry, store, clock).run(job, p::accept));
                }
            } else {
                r = withProgressBar(model, p -> BatchJob.with(registry, clock).run(job, p::accept));
            }
            out.printf("scored %d rows (%d bad rows skipped) from %s into %s at %.0f rows/s%n", r.rowsScored(), r.rowsSkipped(),
                    r.source(), r.target(), r.rowsPerSecond());
            for (BadRow bad : r.badRows()) {
                out.printf("  skipped row %d: %s%n", bad.row(), bad.message());
            }
            out.flush();
            return 0;
        } finally {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the offline store is only read
                }
            }
        }
    }

    interface Progress {
        void accept(long done, long total);
    }

    static BatchResult withProgressBar(String task, java.util.function.Function<Progress, BatchResult> work) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII).setInitialMax(-1)
                .setUnit(" rows", 1).continuousUpdate().build()) {
            return work.apply((done, total) -> {
                bar.maxHint(total);
                bar.stepTo(done);
            });
        }
    }

    static BadRowPolicy policy(String text) {
        try {
            return BadRowPolicy.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--bad-rows was '" + text + "' but it must be fail or skip");
        }
    }

    private TableSource source(List<AutoCloseable> opened) {
        int given = (parquet != null ? 1 : 0) + (csv != null ? 1 : 0) + (sql != null ? 1 : 0) + (postgresTable != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidInputException("input sources given were " + given
                    + " but exactly one of --parquet, --csv, --sql or --postgres-table is required");
        }
        if (parquet != null) {
            return TableSource.parquet(parquet);
        }
        if (csv != null) {
            return TableSource.csv(csv);
        }
        if (sql != null) {
            if (!Files.isDirectory(registryOptions.dataDir.resolve("features"))) {
                throw new InvalidInputException("--sql needs a feature registry but " + registryOptions.dataDir.resolve("features")
                        + " does not exist; run ferry features apply first");
            }
            OfflineStore store = OfflineStore.open(Wiring.features(registryOptions.dataDir));
            opened.add(store);
            return TableSource.offline(store, sql);
        }
        if (postgresUrl == null) {
            throw new InvalidInputException("--postgres-url was missing but --postgres-table needs it (or env FERRY_POSTGRES_URL)");
        }
        return TableSource.postgres(postgresUrl, System.getenv("FERRY_POSTGRES_USER"), System.getenv("FERRY_POSTGRES_PASSWORD"),
                postgresTable);
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "Show the version an online view serves and those retained.")
    static final class Versions implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}", description = "Ferry's data directory.")
        Path dataDir;

        @Mixin
        OnlineStoreOption online;

        @Parameters(index = "0", paramLabel = "VIEW", description = "The online view (no version).")
        String view;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (OnlineStore store = online.open(dataDir, Clock.systemUTC())) {
                ViewPointers.Pointer p = ViewPointers.in(store, Clock.systemUTC()).get(view).orElseThrow(() ->
                        new dev.ferry.NotFoundException("view '" + view + "' has no published version"));
                spec.commandLine().getOut().printf("%s serves %s (switched %s); retained versions %s; keys %s; features %s%n",
                        view, p.onlineName(), p.switched(), p.retained(), p.joinKeys().stream().map(k -> k.name()).toList(), p.features());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Point an online view back at its previous retained version (or --to a chosen one).")
    static final class Rollback implements Callable<Integer> {
        @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}", description = "Ferry's data directory.")
        Path dataDir;

        @Mixin
        OnlineStoreOption online;

        @Parameters(index = "0", paramLabel = "VIEW", description = "The online view (no version).")
        String view;

        @Option(names = "--to", description = "A retained version to switch to.")
        Long to;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (OnlineStore store = online.open(dataDir, Clock.systemUTC())) {
                ViewPointers pointers = ViewPointers.in(store, Clock.systemUTC());
                ViewPointers.Pointer p = to == null ? pointers.rollback(view) : pointers.switchTo(view, to);
                spec.commandLine().getOut().printf("%s now serves %s%n", view, p.onlineName());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
