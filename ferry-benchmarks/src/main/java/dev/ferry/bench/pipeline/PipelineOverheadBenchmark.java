package dev.ferry.bench.pipeline;

import dev.ferry.pipeline.Pipeline;
import dev.ferry.pipeline.PipelineEnvironment;
import dev.ferry.pipeline.PipelineRunner;
import dev.ferry.pipeline.RunOptions;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepSpec;
import dev.ferry.pipeline.StepType;
import dev.ferry.pipeline.StepTypes;
import dev.ferry.pipeline.runs.FileRunStore;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStatus;
import dev.ferry.pipeline.runs.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Pipeline overhead per step (BENCHMARKS.md, "Pipelines"): a pipeline of {@code steps} no-op
 * steps, either a chain (each after the one before) or wide (all independent), run once on an
 * empty data directory (every step executes: log file, cache key, cache entry, run record) and
 * then again (every step a cache hit). A load generator, not JMH: one run is one measurement.
 * Run: {@code java -cp "$CP" dev.ferry.bench.pipeline.PipelineOverheadBenchmark 500 chain 2 5}
 * (arguments: steps, chain|wide, workers, repeats).
 */
public final class PipelineOverheadBenchmark {

    private PipelineOverheadBenchmark() {
    }

    /** Does nothing: what remains is the runner's own cost. */
    static final class NoOp implements StepType {
        @Override
        public String name() {
            return "no-op";
        }

        @Override
        public int version() {
            return 1;
        }

        @Override
        public StepResult run(StepContext context) {
            return StepResult.EMPTY;
        }
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        boolean chain = args.length <= 1 || args[1].equals("chain");
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Path root = Path.of(System.getProperty("ferry.bench.dir", "target/bench-data")).resolve("pipeline");
        Pipeline.Builder b = Pipeline.builder("overhead").seed(1).baseDir(root);
        for (int i = 0; i < steps; i++) {
            StepSpec.Builder s = StepSpec.builder("s" + i, "no-op").param("i", i);
            if (chain && i > 0) {
                s.dependsOn("s" + (i - 1));
            }
            b.step(s.build());
        }
        Pipeline pipeline = b.build();
        System.out.printf("%d no-op steps, %s, %d workers%n", steps, chain ? "chain" : "wide", workers);
        for (int r = 0; r <= repeats; r++) {
            delete(root);
            Files.createDirectories(root);
            try (FileRunStore store = FileRunStore.open(root.resolve("runs"))) {
                PipelineRunner runner = PipelineRunner.builder(PipelineEnvironment.builder(root).build(), store)
                        .types(StepTypes.load().with(new NoOp())).workers(workers).build();
                long t0 = System.nanoTime();
                RunRecord cold = runner.run(pipeline, RunOptions.defaults());
                long t1 = System.nanoTime();
                RunRecord warm = runner.run(pipeline, RunOptions.defaults());
                long t2 = System.nanoTime();
                if (cold.status() != RunStatus.SUCCEEDED || warm.steps().stream().anyMatch(s -> s.status() != StepStatus.CACHED)) {
                    throw new IllegalStateException("the benchmark pipeline did not run as expected: " + cold.failure());
                }
                System.out.printf("%s: executed %.3f ms/step, cache hit %.3f ms/step%n", r == 0 ? "warm-up" : "run " + r,
                        (t1 - t0) / 1e6 / steps, (t2 - t1) / 1e6 / steps);
            }
        }
    }

    private static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
