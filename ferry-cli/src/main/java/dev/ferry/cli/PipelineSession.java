package dev.ferry.cli;

import dev.ferry.online.OnlineStore;
import dev.ferry.pipeline.PipelineEnvironment;
import dev.ferry.pipeline.PipelineRunner;
import dev.ferry.pipeline.RunListener;
import dev.ferry.pipeline.runs.FileRunStore;
import dev.ferry.pipeline.runs.PostgresRunStore;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStore;
import dev.ferry.pipeline.runs.StepRecord;
import dev.ferry.registry.ModelRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What the pipeline and runs commands share: the model registry, the online store (opened only
 * when a pipeline materializes, so a running server's RocksDB lock is not needed otherwise), and
 * the run store beside the registry (PostgreSQL when the registry is, else {@code <data-dir>/runs}).
 */
final class PipelineSession implements AutoCloseable {

    private final RegistryOptions options;
    private ModelRegistry registry;
    private OnlineStore online;
    private final RunStore runs;

    PipelineSession(RegistryOptions options) {
        this.options = options;
        this.runs = runStore(options);
    }

    static RunStore runStore(RegistryOptions options) {
        if (options.registry != null && options.registry.startsWith("jdbc:postgresql:")) {
            return PostgresRunStore.open(options.registry, System.getenv("FERRY_REGISTRY_USER"), System.getenv("FERRY_REGISTRY_PASSWORD"));
        }
        return FileRunStore.open(options.dataDir.resolve("runs"));
    }

    RunStore runs() {
        return runs;
    }

    PipelineRunner runner(OnlineStoreOption onlineOption, boolean needsOnline, int workers, RunListener listener) {
        registry = options.open();
        PipelineEnvironment.Builder env = PipelineEnvironment.builder(options.dataDir).modelRegistry(registry).user(ModelsCommand.user());
        if (needsOnline) {
            online = onlineOption.open(options.dataDir, Clock.systemUTC());
            env.onlineStore(online);
        }
        return PipelineRunner.builder(env.build(), runs).workers(workers).listener(listener).build();
    }

    /** Prints one line per finished step under a progress bar of the steps. */
    static final class Progress implements RunListener, AutoCloseable {
        private final PrintWriter out;
        private final AtomicInteger done = new AtomicInteger();
        private volatile int total;
        private ProgressBar bar;

        Progress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void runStarted(String runId, List<String> steps) {
            total = steps.size();
            out.printf("run %s: %d steps%n", runId, total);
            out.flush();
            bar = new ProgressBarBuilder().setTaskName("pipeline").setStyle(ProgressBarStyle.ASCII).setInitialMax(total)
                    .setUnit(" steps", 1).continuousUpdate().build();
        }

        @Override
        public synchronized void stepRetrying(String step, int attempt, String error) {
            out.printf("  %s: try %d after: %s%n", step, attempt, error);
            out.flush();
        }

        @Override
        public synchronized void stepFinished(StepRecord r) {
            out.printf("  [%d/%d] %-28s %-9s %6d ms%s%n", done.incrementAndGet(), total, r.id(), r.status(), r.millis(),
                    r.metrics().isEmpty() ? "" : "  " + r.metrics());
            if (r.error() != null) {
                out.printf("        %s%n", r.error());
            }
            out.flush();
            if (bar != null) {
                bar.stepTo(done.get());
            }
        }

        @Override
        public synchronized void runFinished(RunRecord run) {
            close();
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    @Override
    public void close() {
        if (online != null) {
            online.close();
        }
        if (registry != null) {
            registry.close();
        }
        runs.close();
    }
}
