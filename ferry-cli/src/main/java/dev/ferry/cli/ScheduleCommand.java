package dev.ferry.cli;

import dev.ferry.batch.BatchJob;
import dev.ferry.batch.BatchProgress;
import dev.ferry.batch.RunHistory;
import dev.ferry.batch.ScheduleFile;
import dev.ferry.batch.Scheduler;
import dev.ferry.batch.TableSource;
import dev.ferry.features.OfflineStore;
import dev.ferry.online.OnlineStore;
import dev.ferry.registry.ModelRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry schedule FILE}: runs the batch jobs of a schedule file on their cron expressions in
 * the foreground until stopped, recording every run as JSON under {@code <data-dir>/batch/runs}.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Run scheduled batch scoring jobs (a YAML schedule file) in the foreground; runs are recorded in <data-dir>/batch/runs.")
final class ScheduleCommand implements Callable<Integer> {

    @Mixin
    RegistryOptions registryOptions;

    @Mixin
    OnlineStoreOption online;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The schedule file (YAML).")
    Path file;

    @Option(names = "--grace", defaultValue = "PT1M",
            description = "How late a fire time may be noticed and still run under missed: skip (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--once", description = "Check the schedules once (run what is due, wait for it) and exit.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new dev.ferry.InvalidInputException("schedule file was '" + file + "' but no such file exists");
        }
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        List<AutoCloseable> opened = new ArrayList<>();
        ExecutorService runner = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ferry-schedule");
            t.setDaemon(true);
            return t;
        });
        try (ModelRegistry registry = registryOptions.open(); OnlineStore store = online.open(registryOptions.dataDir, clock)) {
            List<ScheduleFile.Entry> entries = ScheduleFile.load(file, query -> offline(opened, query));
            BatchJob job = BatchJob.with(registry, store, clock);
            List<Scheduler.Job> jobs = new ArrayList<>();
            for (ScheduleFile.Entry e : entries) {
                jobs.add(new Scheduler.Job(e.name(), e.cron(), e.missed(), e.overlap(), () -> {
                    var r = job.run(e.spec(), BatchProgress.none());
                    out.printf("%s: scored %d rows into %s at %.0f rows/s%n", e.name(), r.rowsScored(), r.target(), r.rowsPerSecond());
                    out.flush();
                    return r;
                }));
                out.printf("schedule %s: %s, missed %s, overlap %s%n", e.name(), e.cron(), e.missed(), e.overlap());
            }
            Scheduler scheduler = new Scheduler(jobs, RunHistory.in(registryOptions.dataDir.resolve("batch/runs")), clock, runner, grace);
            out.printf("next run at %s; runs are recorded in %s%n", scheduler.nextFire().map(Object::toString).orElse("never"),
                    registryOptions.dataDir.resolve("batch/runs"));
            out.flush();
            if (once) {
                scheduler.tick();
                runner.shutdown();
                runner.awaitTermination(1, java.util.concurrent.TimeUnit.DAYS);
            } else {
                scheduler.runUntilInterrupted();
            }
            return 0;
        } finally {
            runner.shutdownNow();
            for (AutoCloseable c : opened) {
                c.close();
            }
        }
    }

    private TableSource offline(List<AutoCloseable> opened, String query) {
        OfflineStore store = OfflineStore.open(Wiring.features(registryOptions.dataDir));
        opened.add(store);
        return TableSource.offline(store, query);
    }
}
