package dev.ferry.serving;

import dev.ferry.serving.testkit.InMemoryModelRegistry;
import dev.ferry.serving.testkit.LinearRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;

/** A registry, feature fetcher, log and meters around an engine, as most engine tests need them. */
final class EngineFixture implements AutoCloseable {

    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final InMemoryModelRegistry registry;
    final InMemoryFeatureFetcher features = new InMemoryFeatureFetcher(clock, Duration.ofHours(1));
    final InMemoryPrecomputedAnswers precomputed = new InMemoryPrecomputedAnswers();
    final InMemoryPredictionLog log = new InMemoryPredictionLog();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Path dir;
    ServingEngine engine;

    EngineFixture(Path dir) {
        this.dir = dir;
        LinearRuntime.HANG = new CountDownLatch(1);
        LinearRuntime.HANG_ARMED = false;
        this.registry = new InMemoryModelRegistry(dir.resolve("registry"), clock);
    }

    /** Tests not about the time budget get a generous one, so a slow shared machine cannot fail them. */
    static DeploymentSpec.Builder spec(String name) {
        return DeploymentSpec.builder(name).budget(Duration.ofSeconds(30));
    }

    static DeploymentSpec single(String name, ModelRef ref) {
        return spec(name).arm("main", ref, 1).build();
    }

    ServingEngine.Builder builder() {
        return ServingEngine.builder().registry(registry).featureFetcher(features).precomputedAnswers(precomputed)
                .clock(clock).predictionLog(log, 10_000).meterRegistry(meters);
    }

    ServingEngine start() {
        engine = builder().build();
        return engine;
    }

    double counter(String name, String... tags) {
        var c = meters.find(name).tags(tags).counters();
        return c.stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Override
    public void close() {
        LinearRuntime.HANG_ARMED = false;
        LinearRuntime.HANG.countDown();
        if (engine != null) {
            engine.close();
        }
    }
}
