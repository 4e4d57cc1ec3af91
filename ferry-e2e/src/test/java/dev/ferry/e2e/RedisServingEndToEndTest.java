package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.online.redis.RedisOnlineStore;
import dev.ferry.online.redis.RedisOnlineStoreConfig;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.server.FerryServer;
import dev.ferry.testkit.RedisServer;
import dev.ferry.types.Row;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same GBDT served from a real Redis (a private embedded one, so the test may stop it): answers
 * equal XGBoost's own; with Redis stopped mid-traffic, every request is still answered, degraded,
 * by the fallback chain.
 */
class RedisServingEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void answersEqualXGBoostFromRedisAndKeepComingDegradedWhenRedisStopsMidTraffic() throws Exception {
        CtrServing.Models models = Fixture.models();
        CtrScenario scenario = models.scenario();
        RedisServer redis = RedisServer.startEmbedded();
        RedisOnlineStore store = RedisOnlineStore.connect(RedisOnlineStoreConfig.standalone(redis.uri())
                .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300)), Clock.systemUTC());
        ModelRegistry registry = FileModelRegistry.open(Fixture.registryCopy(dir));
        FerryServer server = null;
        try {
            scenario.materialize(store);
            server = CtrServing.start(dir, registry, store, Duration.ofMillis(100), null);
            Client client = new Client(server.port());
            List<Row> rows = new ArrayList<>();
            for (int n = 0; n < 30; n++) {
                rows.add(scenario.row(1 + n * 7L, 1 + n * 3L, scenario.requestFeatures(n)));
            }
            float[] expected = CtrScenario.xgboostScores(models.v1().trained(), rows);
            // the first requests open the Redis connection's pipeline and warm the JIT; on a loaded
            // machine they may pass the 100 ms budget and be answered by the fallback chain
            for (int n = 0; n < 5; n++) {
                Client.Reply r = client.post("/v1/predict/" + CtrServing.PLAIN,
                        Client.predictBody(scenario, "redis-warm-" + n, 1 + n, 1 + n, n));
                assertThat(r.status()).isEqualTo(200);
                System.out.println("warm-up answer: " + r.json());
            }
            for (int n = 0; n < 30; n++) {
                Client.Reply r = client.post("/v1/predict/" + CtrServing.PLAIN,
                        Client.predictBody(scenario, "redis-" + n, 1 + n * 7L, 1 + n * 3L, n));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().path("degraded").asBoolean()).as(r.json().toString()).isFalse();
                assertThat(r.json().path("output").path("probabilities").path(1).asDouble()).isCloseTo(expected[n], within(1e-6));
            }

            AtomicBoolean stopped = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger before = new AtomicInteger();
            AtomicInteger afterDegraded = new AtomicInteger();
            AtomicInteger afterNotDegraded = new AtomicInteger();
            Map<String, Integer> sources = new ConcurrentHashMap<>();
            List<String> wrongFallback = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch warm = new CountDownLatch(40);
            CountDownLatch afterStop = new CountDownLatch(60);
            ExecutorService load = Executors.newFixedThreadPool(4);
            List<Future<?>> workers = new ArrayList<>();
            int port = server.port();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                workers.add(load.submit(() -> {
                    Client own = new Client(port);
                    for (long n = 0; running.get(); n++) {
                        boolean sentAfterStop = stopped.get();
                        long req = 50_000 + thread * 100_000L + n;
                        Client.Reply r = own.post("/v1/predict/" + CtrServing.PLAIN,
                                Client.predictBody(scenario, "outage-" + req, 1 + n % CtrScenario.USERS, 1 + n % CtrScenario.ITEMS, req));
                        if (r.status() != 200) {
                            failed.incrementAndGet();
                            continue;
                        }
                        if (!sentAfterStop) {
                            before.incrementAndGet();
                            warm.countDown();
                            continue;
                        }
                        String source = r.json().path("source").asText();
                        sources.merge(source, 1, Integer::sum);
                        if (r.json().path("degraded").asBoolean()) {
                            afterDegraded.incrementAndGet();
                        } else {
                            afterNotDegraded.incrementAndGet();
                        }
                        if (source.equals("fallback_model")) {
                            float small = CtrScenario.xgboostScores(models.small().trained(),
                                    List.of(new Row(scenario.requestFeatures(req))))[0];
                            if (Math.abs(r.json().path("output").path("probabilities").path(1).asDouble() - small) > 1e-6) {
                                wrongFallback.add(r.json().toString());
                            }
                        }
                        afterStop.countDown();
                    }
                }));
            }
            assertThat(warm.await(60, TimeUnit.SECONDS)).isTrue();
            redis.close();
            stopped.set(true);
            assertThat(afterStop.await(120, TimeUnit.SECONDS)).as("answers after Redis stopped").isTrue();
            running.set(false);
            for (Future<?> w : workers) {
                w.get();
            }
            load.shutdown();
            assertThat(failed.get()).as("failed requests").isZero();
            assertThat(before.get()).isGreaterThanOrEqualTo(40);
            assertThat(afterNotDegraded.get()).as("answers after the stop that were not degraded").isZero();
            assertThat(afterDegraded.get()).isGreaterThanOrEqualTo(60);
            assertThat(sources.keySet()).as("sources after the stop: %s", sources)
                    .isSubsetOf("fallback_model", "model");
            assertThat(wrongFallback).isEmpty();
            System.out.printf("Redis outage: %d answered before the stop, %d after (all degraded: %s), %d failed%n",
                    before.get(), afterDegraded.get(), sources, failed.get());
        } finally {
            if (server != null) {
                server.close();
            }
            store.close();
            registry.close();
            redis.close();
        }
    }
}
