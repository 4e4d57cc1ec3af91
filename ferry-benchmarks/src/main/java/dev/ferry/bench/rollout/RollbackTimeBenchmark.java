package dev.ferry.bench.rollout;

import dev.ferry.model.ModelFormat;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.rollout.FileRolloutStore;
import dev.ferry.rollout.RolloutEngine;
import dev.ferry.rollout.RolloutPlan;
import dev.ferry.rollout.RolloutState;
import dev.ferry.rollout.Stage;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.FetchedFeatures;
import dev.ferry.serving.ModelRef;
import dev.ferry.serving.PredictRequest;
import dev.ferry.serving.PredictionLogSink;
import dev.ferry.serving.ServingEngine;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.xgboost.XGBoostTrainer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How fast a rollout gives all traffic back to the champion when a canary's gate fails. Two real
 * XGBoost models, the candidate trained on labels shifted by +3 (so its predictions diverge);
 * client threads send predictions in a closed loop in-process; the rollout engine checks every
 * check interval on the real clock. Each repetition starts a rollout, promotes the shadow stage by
 * hand and lets the canary (5 %) be caught by the prediction-divergence gate. Reports the engine's
 * own figure (gate breach detected to 100 % champion traffic) and what clients saw (canary start
 * to the last answer from the candidate).
 *
 * <pre>java -cp 'ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*' \
 *     dev.ferry.bench.rollout.RollbackTimeBenchmark [repetitions, default 5] [check interval ms, default 1000]</pre>
 */
public final class RollbackTimeBenchmark {

    private RollbackTimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Duration every = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 1000);
        Path dir = Files.createTempDirectory("ferry-rollback-bench");
        try (FileModelRegistry registry = FileModelRegistry.open(dir.resolve("registry"))) {
            register(registry, dir, 0);
            for (int i = 0; i < reps; i++) {
                register(registry, dir, 3);
            }
            ServingEngine serving = ServingEngine.builder().registry(registry)
                    .featureFetcher(r -> new FetchedFeatures(Collections.nCopies(r.entities().size(), new Row(Map.of())), false, List.of()))
                    .predictionLog(PredictionLogSink.discard(), 65_536).meterRegistry(new SimpleMeterRegistry()).build();
            serving.deploy(DeploymentSpec.builder("bench").budget(Duration.ofSeconds(5)).arm("main", ModelRef.parse("bench@1"), 1).build());
            System.out.printf(Locale.ROOT, "check interval %d ms, min samples 200 per side, canary 5%%, %d client threads%n",
                    every.toMillis(), 2);
            System.out.println("| run | gate | engine: breach detected -> 100% champion (ms) | clients: canary start -> last candidate answer (ms) |"
                    + " candidate answers |");
            System.out.println("|---:|---|---:|---:|---:|");
            try (RolloutEngine rollouts = RolloutEngine.builder().serving(serving).store(FileRolloutStore.open(dir.resolve("rollouts")))
                    .build().schedule(every)) {
                for (int i = 0; i < reps; i++) {
                    run(i + 1, serving, rollouts, i + 2);
                }
            }
            serving.close();
        }
    }

    private static ModelVersion register(FileModelRegistry registry, Path dir, double shift) throws Exception {
        var signature = XGBoostTrainer.signature(List.of(Field.of("a", FeatureType.FLOAT64), Field.of("b", FeatureType.FLOAT64)), Map.of());
        Random random = new Random(11);
        List<Row> rows = new ArrayList<>();
        float[] labels = new float[2_000];
        for (int i = 0; i < labels.length; i++) {
            double a = random.nextDouble();
            double b = random.nextDouble();
            rows.add(Row.of("a", a, "b", b));
            labels[i] = (float) (2 * a + b + shift);
        }
        var trained = XGBoostTrainer.train(signature, rows, labels, Map.of("objective", "reg:squarederror"), 20, 1);
        Path file = Files.write(Files.createTempFile(dir, "model", ".json"), trained.modelJson());
        return registry.register(new RegisterRequest("bench", file, ModelFormat.XGBOOST, Optional.empty(), Provenance.none(), List.of(),
                "bench", "shift " + shift));
    }

    private static void run(int n, ServingEngine serving, RolloutEngine rollouts, int candidate) throws Exception {
        RolloutPlan plan = RolloutPlan.of("bench", ModelRef.parse("bench@" + candidate))
                .withStages(RolloutPlan.DEFAULT_STEPS, Duration.ofHours(1), 200, Duration.ofHours(1));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lastCandidate = new AtomicLong();
        AtomicLong candidateAnswers = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            clients.add(Thread.ofPlatform().name("client-" + t).start(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (!stop.get()) {
                    var p = serving.predict("bench", new PredictRequest(Optional.of(Long.toString(r.nextLong())), Map.of(),
                            Map.of("a", r.nextDouble(), "b", r.nextDouble())));
                    if (p.version() == candidate) {
                        lastCandidate.set(System.nanoTime());
                        candidateAnswers.incrementAndGet();
                    }
                }
            }));
        }
        try {
            RolloutState s = rollouts.start(plan, "bench");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (rollouts.status(s.id()).stage() != Stage.SHADOW && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long canaryStart = System.nanoTime();
            rollouts.promote(s.id(), "bench");
            while (!rollouts.status(s.id()).stage().terminal() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            RolloutState done = rollouts.status(s.id());
            if (done.stage() != Stage.ROLLED_BACK) {
                throw new IllegalStateException("run " + n + " ended in " + done.label() + " instead of a rollback");
            }
            // let in-flight requests finish so the last candidate answer is really the last
            Thread.sleep(200);
            System.out.printf(Locale.ROOT, "| %d | %s | %.2f | %.0f | %d |%n", n, done.failure().orElseThrow().gate(),
                    done.rollbackMillis().orElseThrow(), (lastCandidate.get() - canaryStart) / 1e6, candidateAnswers.get());
        } finally {
            stop.set(true);
            for (Thread c : clients) {
                c.join();
            }
        }
    }
}
