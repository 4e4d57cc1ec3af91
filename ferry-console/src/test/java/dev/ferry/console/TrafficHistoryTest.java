package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrafficHistoryTest {

    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    TrafficHistoryTest() {
        new Console().configureMeters(meters);
    }

    @AfterEach
    void tearDown() {
        meters.close();
    }

    private Timer timer(String arm, int version) {
        return Timer.builder(TrafficHistory.LATENCY).tags("deployment", "credit", "arm", arm, "model", "credit",
                "version", Integer.toString(version), "stage", "total").register(meters);
    }

    private void requests(String arm, String outcome, int n) {
        meters.counter(TrafficHistory.REQUESTS, "deployment", "credit", "arm", arm, "model", "credit", "version", "1",
                "outcome", outcome).increment(n);
    }

    @Test
    void aQuantileIsInterpolatedInsideTheBucketHoldingIt() {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        cumulative.put(1.0, 10.0);
        cumulative.put(2.0, 30.0);
        cumulative.put(4.0, 40.0);
        assertThat(TrafficHistory.quantile(0.5, cumulative, 40)).isEqualTo(1.5);
        assertThat(TrafficHistory.quantile(0.9, cumulative, 40)).isCloseTo(3.2, within(1e-12));
        assertThat(TrafficHistory.quantile(0.1, cumulative, 40)).isEqualTo(0.4);
        assertThat(TrafficHistory.quantile(0.5, cumulative, 0)).isNaN();
    }

    @Test
    void percentilesOfAnIntervalFallInTheSameHistogramBucketAsTheExactOnes() {
        TrafficHistory history = new TrafficHistory(meters, 10);
        history.sample(t0);
        Random random = new Random(42);
        double[] ms = new double[2000];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = Math.exp(random.nextGaussian() * 1.2 + 0.5);
            // two versions behind one arm (an alias moved): both count for the arm
            timer("stable", i % 2 == 0 ? 1 : 2).record(Duration.ofNanos((long) (ms[i] * 1e6)));
        }
        requests("stable", "ok", ms.length);
        history.sample(t0.plusSeconds(5));

        TrafficHistory.ArmSample s = history.arms("credit").get("stable").getFirst();
        assertThat(s.requests()).isEqualTo(2000);
        assertThat(s.seconds()).isEqualTo(5.0);
        Percentile exact = new Percentile();
        double[] bounds = bounds(timer("stable", 1));
        assertSameBucket(bounds, s.p50(), exact.evaluate(ms, 50));
        assertSameBucket(bounds, s.p90(), exact.evaluate(ms, 90));
        assertSameBucket(bounds, s.p99(), exact.evaluate(ms, 99));
        assertThat(s.mean()).isCloseTo(java.util.Arrays.stream(ms).average().orElseThrow(), within(1e-3));
    }

    /** The upper bounds of a timer's histogram buckets, in milliseconds. */
    private static double[] bounds(Timer t) {
        double[] bounds = java.util.Arrays.stream(t.takeSnapshot().histogramCounts()).mapToDouble(b -> b.bucket(TimeUnit.MILLISECONDS)).toArray();
        assertThat(bounds).isNotEmpty();
        return bounds;
    }

    private static void assertSameBucket(double[] bounds, double estimate, double exact) {
        double lower = 0;
        for (double upper : bounds) {
            if (exact <= upper) {
                assertThat(estimate).as("exact %s is in bucket (%s, %s]", exact, lower, upper).isBetween(lower, upper);
                return;
            }
            lower = upper;
        }
        throw new AssertionError(exact + " is above every bucket");
    }

    @Test
    void eachSampleCountsOnlyWhatHappenedInItsInterval() {
        TrafficHistory history = new TrafficHistory(meters, 10);
        history.sample(t0);
        for (int i = 0; i < 100; i++) {
            timer("canary", 1).record(Duration.ofMillis(1));
        }
        requests("canary", "ok", 100);
        history.sample(t0.plusSeconds(5));
        for (int i = 0; i < 50; i++) {
            timer("canary", 1).record(Duration.ofMillis(200));
        }
        requests("canary", "ok", 40);
        requests("canary", "static_default", 10);
        history.sample(t0.plusSeconds(10));
        history.sample(t0.plusSeconds(15));

        List<TrafficHistory.ArmSample> ring = history.arms("credit").get("canary");
        assertThat(ring).hasSize(3);
        assertSameBucket(bounds(timer("canary", 1)), ring.get(0).p99(), 1.0);
        assertThat(ring.get(1).requests()).isEqualTo(50);
        assertThat(ring.get(1).failedOver()).isEqualTo(10);
        assertSameBucket(bounds(timer("canary", 1)), ring.get(1).p50(), 200.0);
        assertThat(ring.get(1).mean()).isCloseTo(200, within(1e-6));
        assertThat(ring.get(2).requests()).isZero();
        assertThat(ring.get(2).p50()).isNaN();
    }

    @Test
    void engineErrorsAreAShareOfModelCallsPerDeploymentAndTheRingKeepsOnlyTheNewest() {
        TrafficHistory history = new TrafficHistory(meters, 3);
        history.sample(t0);
        requests("stable", "ok", 30);
        requests("stable", "fallback_model", 10);
        meters.counter(TrafficHistory.ERRORS, "deployment", "credit", "kind", "timeout").increment(10);
        history.sample(t0.plusSeconds(5));
        TrafficHistory.DeploymentSample d = history.deployment("credit").getFirst();
        assertThat(d.errors()).isEqualTo(10);
        assertThat(d.modelAnswers()).isEqualTo(30);
        assertThat(d.errorRate()).isEqualTo(0.25);
        for (int i = 2; i <= 6; i++) {
            history.sample(t0.plusSeconds(5L * i));
        }
        assertThat(history.deployment("credit")).extracting(TrafficHistory.DeploymentSample::at)
                .containsExactly(t0.plusSeconds(20), t0.plusSeconds(25), t0.plusSeconds(30));
        assertThat(history.arms("credit").get("stable")).hasSize(3);
    }

    @Test
    void theLatencyHistogramIsCumulativeSoDifferencesAreCountsOfTheInterval() {
        Timer t = timer("stable", 1);
        t.record(Duration.ofMillis(3));
        double before = count(t);
        t.record(Duration.ofMillis(3));
        assertThat(count(t) - before).isEqualTo(1.0);
    }

    private static double count(Timer t) {
        double max = 0;
        for (CountAtBucket b : t.takeSnapshot().histogramCounts()) {
            max = Math.max(max, b.count());
        }
        return max;
    }
}
