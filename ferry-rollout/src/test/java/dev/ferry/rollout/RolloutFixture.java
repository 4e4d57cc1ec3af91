package dev.ferry.rollout;

import dev.ferry.model.ModelFormat;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.serving.DeploymentSpec;
import dev.ferry.serving.InMemoryFeatureFetcher;
import dev.ferry.serving.InMemoryPrecomputedAnswers;
import dev.ferry.serving.InMemoryPredictionLog;
import dev.ferry.serving.ModelRef;
import dev.ferry.serving.PredictRequest;
import dev.ferry.serving.Prediction;
import dev.ferry.serving.ServingEngine;
import dev.ferry.serving.testkit.InMemoryModelRegistry;
import dev.ferry.serving.testkit.Models;
import dev.ferry.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A registry of real (linear) models and serving engines over it, with a hand-moved clock and
 * seeded traffic, as the rollout tests need them.
 */
final class RolloutFixture implements AutoCloseable {

    static final String DEPLOYMENT = "credit";

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    final Path dir;
    final InMemoryModelRegistry registry;
    final List<ServingEngine> engines = new ArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();
    private final Random random = new Random(42);

    RolloutFixture(Path dir) {
        this.dir = dir;
        this.registry = new InMemoryModelRegistry(dir.resolve("registry"), clock);
    }

    /** Registers {@code credit}: score = bias + w1*x1 + w2*x2, with {@code auc} recorded as its held-out metric. */
    ModelVersion model(double w1, double w2, double bias, double auc, String behaviorLines) {
        Path file = Models.write(dir.resolve("models"), "credit", "layout packed\nfeatures x1:float64 x2:float64\nweights " + w1 + " " + w2
                + "\nbias " + bias + "\n" + behaviorLines);
        Provenance p = new Provenance(null, List.of(), Map.of(), null, Map.of("auc", auc), null, null);
        List<GoldenExample> golden = List.of(new GoldenExample(Map.of("x1", 0.1, "x2", 0.2), Map.of("score", bias + 0.1 * w1 + 0.2 * w2), 1e-9));
        return registry.register(new RegisterRequest("credit", file, ModelFormat.ONNX, Optional.empty(), p, golden, "test", "linear"));
    }

    /** A serving engine with {@code credit} serving {@code champion} from one arm named {@code main}. */
    ServingEngine serving(String champion) {
        ServingEngine e = ServingEngine.builder().registry(registry).featureFetcher(new InMemoryFeatureFetcher(clock, Duration.ofHours(1)))
                .precomputedAnswers(new InMemoryPrecomputedAnswers()).clock(clock).predictionLog(new InMemoryPredictionLog(), 100_000)
                .meterRegistry(new SimpleMeterRegistry()).build();
        e.deploy(DeploymentSpec.builder(DEPLOYMENT).budget(Duration.ofSeconds(30)).arm("main", ModelRef.parse(champion), 1).build());
        engines.add(e);
        return e;
    }

    RolloutEngine.Builder rollouts(ServingEngine serving, RolloutStore store) {
        return RolloutEngine.builder().serving(serving).store(store).clock(clock);
    }

    /** Sends {@code n} requests with features uniform in [0, 1); counts answers by {@code model@version}, failures as {@code error}. */
    Map<String, Integer> traffic(ServingEngine e, int n) {
        Map<String, Integer> by = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            PredictRequest r = new PredictRequest(Optional.of("r" + random.nextLong()), Map.of(),
                    Map.of("x1", random.nextDouble(), "x2", random.nextDouble()));
            try {
                Prediction p = e.predict(DEPLOYMENT, r);
                by.merge(p.model() + "@" + p.version(), 1, Integer::sum);
            } catch (RuntimeException ex) {
                by.merge("error", 1, Integer::sum);
            }
        }
        return by;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        engines.forEach(ServingEngine::close);
    }
}
