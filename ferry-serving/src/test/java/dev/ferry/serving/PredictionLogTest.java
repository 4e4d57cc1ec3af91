package dev.ferry.serving;

import dev.ferry.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.serving.testkit.Models;
import dev.ferry.types.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionLogTest {

    @TempDir
    Path dir;


    private static PredictionRecord record(int i, Instant at) {
        return new PredictionRecord("r" + i, at, "d", "main", "m", 1, false, AnswerSource.MODEL, false, Map.of("user_id", "u" + i),
                Row.of("x1", (double) i, "v", new float[] {1f, 2f}), Row.of("score", i * 2.0));
    }

    private List<Path> files(Path logDir) throws Exception {
        try (Stream<Path> s = Files.list(logDir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void theFileSinkWritesVersionedJsonLinesAndRollsOnSizeAndAge() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Path logDir = dir.resolve("log");
        try (RollingFilePredictionLog sink = new RollingFilePredictionLog(logDir, 600, Duration.ofMinutes(10), clock)) {
            List<PredictionRecord> batch = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                batch.add(record(i, clock.instant()));
            }
            sink.write(batch);
            int bySize = files(logDir).size();
            assertThat(bySize).isGreaterThan(1);
            clock.advance(Duration.ofMinutes(11));
            sink.write(List.of(record(6, clock.instant())));
            assertThat(files(logDir)).hasSize(bySize + 1);
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (Path f : files(logDir)) {
            for (String l : Files.readAllLines(f)) {
                lines.add(json.readTree(l));
            }
        }
        assertThat(lines).hasSize(7);
        JsonNode first = lines.get(0);
        assertThat(first.get("format").asInt()).isEqualTo(PredictionRecord.FORMAT_VERSION);
        assertThat(first.get("request_id").asText()).isEqualTo("r0");
        assertThat(first.get("features").get("v").get(1).asDouble()).isEqualTo(2.0);
        assertThat(lines.get(6).get("output").get("score").asDouble()).isEqualTo(12.0);
    }

    @Test
    void aStalledSinkDropsAndCountsRecordsButNeverBlocksRequests() throws Exception {
        EngineFixture fx = new EngineFixture(dir);
        CountDownLatch stalled = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        PredictionLogSink slow = records -> {
            taken.addAndGet(records.size());
            try {
                stalled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Models.linear(fx.registry, dir, "m", 1, 0, 0, "normal");
        ServingEngine engine = fx.builder().predictionLog(slow, 4).build();
        fx.engine = engine;
        engine.deploy(EngineFixture.single("d", new ModelRef("m", "1")));

        // One prediction first: the writer takes it and stalls inside the sink, holding it.
        engine.predict("d", PredictRequest.of(Map.of(), Map.of("x1", 1.0, "x2", 1.0)));
        long end = System.nanoTime() + 10_000_000_000L;
        while (taken.get() == 0 && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(taken.get()).isEqualTo(1);

        // With the writer stalled, the queue holds 4 of the next 19 and the other 15 are dropped and counted.
        for (int i = 0; i < 19; i++) {
            engine.predict("d", PredictRequest.of(Map.of(), Map.of("x1", 1.0, "x2", 1.0)));
        }
        assertThat(fx.counter(ServingMetrics.LOG_DROPPED)).isEqualTo(15.0);
        assertThat(taken.get()).isEqualTo(1);
        stalled.countDown();
        fx.close();
    }

    @Test
    void atRatedLoadNoPredictionIsDropped() throws Exception {
        EngineFixture fx = new EngineFixture(dir);
        Models.linear(fx.registry, dir, "m", 1, 0, 0, "normal");
        Path logDir = dir.resolve("rated");
        ServingEngine engine = fx.builder()
                .predictionLog(new RollingFilePredictionLog(logDir, 1 << 20, Duration.ofHours(1), fx.clock), 65_536).build();
        fx.engine = engine;
        engine.deploy(EngineFixture.single("d", new ModelRef("m", "1")));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    engine.predict("d", PredictRequest.of(Map.of(), Map.of("x1", 1.0, "x2", 1.0)));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        engine.awaitLogWritten();

        long lines = 0;
        for (Path f : files(logDir)) {
            lines += Files.readAllLines(f).size();
        }
        assertThat(fx.counter(ServingMetrics.LOG_DROPPED)).isZero();
        assertThat(lines).isEqualTo(16_000);
        fx.close();
    }
}
