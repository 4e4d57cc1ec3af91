package dev.ferry.pipeline;

import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import dev.ferry.UnavailableException;
import dev.ferry.pipeline.runs.Environment;
import dev.ferry.pipeline.runs.RunIds;
import dev.ferry.pipeline.runs.RunRecord;
import dev.ferry.pipeline.runs.RunStatus;
import dev.ferry.pipeline.runs.RunStore;
import dev.ferry.pipeline.runs.StepRecord;
import dev.ferry.pipeline.runs.StepStatus;
import dev.ferry.registry.CodeVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs pipelines: steps whose dependencies are done run in parallel on a bounded pool; a step
 * whose type, type version, parameters, seed and input fingerprints match an earlier successful
 * step is not run again (its stored outputs are reused); a failing step is retried per its
 * policy; the first step that cannot succeed stops the run (steps not yet started are recorded as
 * skipped) and is named with its reason. Every run is recorded in the {@link RunStore}, when it
 * starts and when it ends.
 */
public final class PipelineRunner {

    private final StepTypes types;
    private final PipelineEnvironment environment;
    private final RunStore store;
    private final int workers;
    private final Sleeper sleeper;
    private final RunListener listener;
    private final ObjectStore objects;
    private final StepCache cache;

    private PipelineRunner(Builder b) {
        this.types = b.types;
        this.environment = b.environment;
        this.store = b.store;
        this.workers = b.workers;
        this.sleeper = b.sleeper;
        this.listener = b.listener;
        this.objects = new ObjectStore(environment.pipelineDir().resolve("objects"));
        this.cache = new StepCache(environment.pipelineDir().resolve("cache"), objects);
    }

    public static Builder builder(PipelineEnvironment environment, RunStore store) {
        return new Builder(environment, store);
    }

    public StepTypes types() {
        return types;
    }

    public ObjectStore objects() {
        return objects;
    }

    /** Runs {@code pipeline} and returns its record (also saved in the run store); a failed run is a record with status FAILED. */
    public RunRecord run(Pipeline pipeline, RunOptions options) {
        for (String k : options.params().keySet()) {
            if (!pipeline.params().containsKey(k)) {
                throw new InvalidInputException("--param " + k + " names no parameter of pipeline " + pipeline.name()
                        + "; its parameters are " + pipeline.params().keySet());
            }
        }
        Pipeline p = pipeline.withParams(options.params());
        PipelineValidator.requireValid(p, types);
        List<PlannedStep> plan = Plan.of(p);
        Instant started = environment.clock().instant();
        String runId = RunIds.next(started);
        CodeVersion code = Environment.code(p.baseDir());
        Map<String, String> env = Environment.versions();
        RunRecord running = record(p, options, runId, started, null, code, env, RunStatus.RUNNING, null, null, List.of());
        store.save(running);
        listener.runStarted(runId, plan.stream().map(PlannedStep::id).toList());

        Map<String, StepRecord> records = execute(p, plan, options, runId, code);
        List<StepRecord> ordered = new ArrayList<>();
        String failedStep = null;
        String failure = null;
        for (PlannedStep s : plan) {
            StepRecord r = records.get(s.id());
            if (r == null) {
                StepType t = types.get(s.spec().type());
                r = StepRecord.skipped(s.id(), t.name(), t.version(), s.bindings(), s.seed());
            } else if (r.status() == StepStatus.FAILED && failedStep == null) {
                failedStep = r.id();
                failure = r.error();
            }
            ordered.add(r);
        }
        RunRecord done = record(p, options, runId, started, environment.clock().instant(), code, env,
                failedStep == null ? RunStatus.SUCCEEDED : RunStatus.FAILED, failedStep, failure, ordered);
        store.save(done);
        listener.runFinished(done);
        return done;
    }

    private static RunRecord record(Pipeline p, RunOptions o, String id, Instant started, Instant finished, CodeVersion code,
                                    Map<String, String> env, RunStatus status, String failedStep, String failure, List<StepRecord> steps) {
        return new RunRecord(RunRecord.FORMAT, id, p.name(), p.version(), p.origin(), p.definition(), p.baseDir().toString(), p.params(),
                p.seed(), o.force(), o.reproduces(), o.message(), status, failedStep, failure, started, finished, code, env, steps);
    }

    private Map<String, StepRecord> execute(Pipeline p, List<PlannedStep> plan, RunOptions options, String runId, CodeVersion code) {
        Map<String, PlannedStep> byId = new LinkedHashMap<>();
        Map<String, Integer> order = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (PlannedStep s : plan) {
            order.put(s.id(), byId.size());
            byId.put(s.id(), s);
            waiting.put(s.id(), s.deps().size());
            s.deps().forEach(d -> dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(s.id()));
        }
        Map<String, StepResult> results = new ConcurrentHashMap<>();
        Map<String, StepRecord> records = new LinkedHashMap<>();
        PriorityQueue<String> ready = new PriorityQueue<>(Comparator.comparing(order::get));
        plan.stream().filter(s -> s.deps().isEmpty()).forEach(s -> ready.add(s.id()));
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "ferry-pipeline-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<StepRecord> done = new ExecutorCompletionService<>(pool);
        boolean failed = false;
        int inFlight = 0;
        try {
            while (true) {
                while (!failed && !ready.isEmpty() && inFlight < workers) {
                    PlannedStep s = byId.get(ready.poll());
                    done.submit(() -> runStep(p, s, options, runId, code, byId, results));
                    inFlight++;
                }
                if (inFlight == 0) {
                    break;
                }
                StepRecord r = done.take().get();
                inFlight--;
                records.put(r.id(), r);
                if (r.succeeded()) {
                    for (String d : dependents.getOrDefault(r.id(), List.of())) {
                        if (waiting.merge(d, -1, Integer::sum) == 0) {
                            ready.add(d);
                        }
                    }
                } else {
                    failed = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("run " + runId + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the pipeline runner failed outside a step", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return records;
    }

    private StepRecord runStep(Pipeline p, PlannedStep s, RunOptions options, String runId, CodeVersion code,
                               Map<String, PlannedStep> byId, Map<String, StepResult> results) throws IOException {
        StepType type = types.get(s.spec().type());
        listener.stepStarted(s.id());
        Instant started = environment.clock().instant();
        long t0 = System.nanoTime();
        String safe = s.id().replaceAll("[^A-Za-z0-9_.=-]", "_");
        Path logFile = environment.pipelineDir().resolve("logs").resolve(runId).resolve(safe + ".log");
        Path work = environment.pipelineDir().resolve("work").resolve(runId).resolve(safe);
        Files.createDirectories(logFile.getParent());
        Map<String, String> params = stringParams(s.params());
        StepRecord record;
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
            StepContext ctx = new StepContext(s, p, runId, work, log, environment, objects, code, byId::get, results::get);
            log.printf("step %s (type %s v%d) of run %s, seed %d, params %s%n", s.id(), type.name(), type.version(), runId, s.seed(), params);
            Map<String, String> inputs;
            String key;
            try {
                inputs = inputs(p, s, type, ctx, results);
                Map<String, Object> material = new TreeMap<>();
                material.put("type", type.name());
                material.put("version", type.version());
                material.put("params", params);
                material.put("seed", s.seed());
                material.put("inputs", inputs);
                material.put("upstream_values", upstreamValues(s, results));
                key = StepCache.key(material);
            } catch (RuntimeException e) {
                record = failed(s, type, started, t0, logFile, params, Map.of(), null, 0, "its inputs could not be read: " + describe(e));
                log.println(record.error());
                listener.stepFinished(record);
                return record;
            }
            if (!options.force()) {
                var hit = cache.get(key);
                if (hit.isPresent()) {
                    results.put(s.id(), hit.get().result());
                    log.printf("unchanged since run %s: outputs reused from the cache (key %s)%n", hit.get().runId(), key);
                    record = new StepRecord(s.id(), type.name(), type.version(), s.bindings(), StepStatus.CACHED, 0, key, s.seed(), params,
                            inputs, hit.get().result().files(), hit.get().result().metrics(), hit.get().result().values(), started,
                            millis(t0), logFile.toString(), null);
                    listener.stepFinished(record);
                    return record;
                }
            }
            record = attempt(s, type, ctx, log, key, inputs, params, started, t0, logFile, runId, results);
        } finally {
            deleteTree(work);
        }
        listener.stepFinished(record);
        return record;
    }

    private StepRecord attempt(PlannedStep s, StepType type, StepContext ctx, PrintWriter log, String key, Map<String, String> inputs,
                               Map<String, String> params, Instant started, long t0, Path logFile, String runId,
                               Map<String, StepResult> results) {
        RetryPolicy policy = s.spec().retry();
        String error = null;
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            if (attempt > 1) {
                listener.stepRetrying(s.id(), attempt, error);
                log.printf("try %d of %d after %s (previous try: %s)%n", attempt, policy.attempts(), policy.delayBefore(attempt), error);
                try {
                    sleeper.sleep(policy.delayBefore(attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "interrupted while waiting to retry";
                    break;
                }
            }
            try {
                deleteTree(ctx.outputDir());
                Files.createDirectories(ctx.outputDir());
                StepResult r = type.run(ctx);
                Map<String, String> files = collect(ctx.outputDir());
                StepResult result = (r == null ? StepResult.EMPTY : r).withFiles(files);
                cache.put(key, result, runId);
                results.put(s.id(), result);
                log.printf("succeeded on try %d: outputs %s, metrics %s%n", attempt, files, result.metrics());
                return new StepRecord(s.id(), type.name(), type.version(), s.bindings(), StepStatus.SUCCEEDED, attempt, key, s.seed(), params,
                        inputs, files, result.metrics(), result.values(), started, millis(t0), logFile.toString(), null);
            } catch (Exception e) {
                error = describe(e);
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                log.printf("try %d failed: %s%n%s", attempt, error, trace);
            }
        }
        String why = policy.attempts() == 1 ? error : "failed " + policy.attempts() + " tries; last: " + error;
        return failed(s, type, started, t0, logFile, params, inputs, key, policy.attempts(), why);
    }

    private static StepRecord failed(PlannedStep s, StepType type, Instant started, long t0, Path logFile, Map<String, String> params,
                                     Map<String, String> inputs, String key, int attempts, String error) {
        return new StepRecord(s.id(), type.name(), type.version(), s.bindings(), StepStatus.FAILED, attempts, key, s.seed(), params,
                inputs, Map.of(), Map.of(), Map.of(), started, millis(t0), logFile.toString(), error);
    }

    private static String describe(Throwable e) {
        if (e instanceof FerryException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Input name to SHA-256: declared inputs (files, or every file under a directory), type-specific files, upstream outputs. */
    private Map<String, String> inputs(Pipeline p, PlannedStep s, StepType type, StepContext ctx, Map<String, StepResult> results) {
        Map<String, String> out = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        for (String in : s.spec().inputs()) {
            Path f = p.baseDir().resolve(in).normalize();
            if (!Files.exists(f)) {
                throw new InvalidInputException(p.origin() + ": step '" + s.id() + "' field 'inputs': " + in + " (" + f + ") does not exist");
            }
            files.add(f);
        }
        files.addAll(type.inputFiles(ctx));
        for (Path f : files) {
            if (Files.isDirectory(f)) {
                try (Stream<Path> walk = Files.walk(f)) {
                    for (Path g : walk.filter(Files::isRegularFile).sorted().toList()) {
                        out.put(name(p, g), Hashes.file(g));
                    }
                } catch (IOException e) {
                    throw new UnavailableException("cannot list input directory " + f + ": " + e.getMessage(), e);
                }
            } else {
                out.put(name(p, f), Hashes.file(f));
            }
        }
        for (String d : s.deps()) {
            results.get(d).files().forEach((n, sha) -> out.put("step:" + d + "/" + n, sha));
        }
        return out;
    }

    private static String name(Pipeline p, Path f) {
        Path abs = f.toAbsolutePath().normalize();
        return abs.startsWith(p.baseDir()) ? p.baseDir().relativize(abs).toString() : abs.toString();
    }

    private static Map<String, String> upstreamValues(PlannedStep s, Map<String, StepResult> results) {
        Map<String, String> out = new TreeMap<>();
        for (String d : s.deps()) {
            results.get(d).values().forEach((k, v) -> out.put(d + "/" + k, v));
        }
        return out;
    }

    private static Map<String, String> stringParams(Map<String, Object> params) {
        Map<String, String> out = new TreeMap<>();
        params.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private Map<String, String> collect(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.put(dir.relativize(f).toString().replace('\\', '/'), objects.put(f));
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot clear the step directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Builds a {@link PipelineRunner}; step types default to those on the class path, workers to 2. */
    public static final class Builder {
        private final PipelineEnvironment environment;
        private final RunStore store;
        private StepTypes types = StepTypes.load();
        private int workers = 2;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RunListener listener = RunListener.NONE;

        private Builder(PipelineEnvironment environment, RunStore store) {
            this.environment = Objects.requireNonNull(environment, "environment");
            this.store = Objects.requireNonNull(store, "store");
        }

        public Builder types(StepTypes t) {
            this.types = Objects.requireNonNull(t, "types");
            return this;
        }

        /** How many steps may run at once. */
        public Builder workers(int n) {
            if (n < 1) {
                throw new InvalidInputException("workers was " + n + " but it must be 1 or more");
            }
            this.workers = n;
            return this;
        }

        public Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        public Builder listener(RunListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        public PipelineRunner build() {
            return new PipelineRunner(this);
        }
    }
}
