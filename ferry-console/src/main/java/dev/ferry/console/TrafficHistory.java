package dev.ferry.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A short ring of traffic samples per deployment and arm (requests, failed-over answers, latency
 * percentiles; engine errors per deployment), taken from the engine's Micrometer meters. The
 * meters are cumulative, so each sample is the difference from the previous one: the
 * percentiles of a sample are those of the requests that arrived in its interval, computed from
 * the latency histogram's bucket counts like Prometheus' {@code histogram_quantile}.
 */
final class TrafficHistory {

    static final String LATENCY = "ferry.serving.latency";
    static final String REQUESTS = "ferry.serving.requests";
    static final String ERRORS = "ferry.serving.errors";
    /** Request outcomes answered by the routed model; any other outcome means the model failed and the fallback chain answered. */
    private static final Set<String> MODEL_ANSWERED = Set.of("ok", "degraded", "rank");

    /** One arm in one interval; latencies in milliseconds, NaN when no request arrived. */
    record ArmSample(Instant at, double seconds, long requests, long failedOver, double p50, double p90, double p99, double mean) {
    }

    /** One deployment in one interval: engine errors and their share of model calls. */
    record DeploymentSample(Instant at, double seconds, long errors, long modelAnswers) {
        double errorRate() {
            return errors + modelAnswers == 0 ? 0 : (double) errors / (errors + modelAnswers);
        }
    }

    /** The cumulative state of one arm's meters at one instant. */
    private record ArmTotals(long requests, long failedOver, long latencyCount, double latencyTotalMs, TreeMap<Double, Double> buckets) {
    }

    private final MeterRegistry meters;
    private final int capacity;
    private final Map<String, Map<String, Deque<ArmSample>>> arms = new LinkedHashMap<>();
    private final Map<String, Deque<DeploymentSample>> deployments = new LinkedHashMap<>();
    private Map<String, Map<String, ArmTotals>> previousArms = Map.of();
    private Map<String, long[]> previousDeployments = Map.of();
    private Instant previousAt;

    TrafficHistory(MeterRegistry meters, int capacity) {
        this.meters = meters;
        this.capacity = capacity;
    }

    /** Takes one sample at {@code now}; the first call only sets the baseline. */
    synchronized void sample(Instant now) {
        Map<String, Map<String, ArmTotals>> armTotals = armTotals();
        Map<String, long[]> depTotals = deploymentTotals();
        if (previousAt != null) {
            double seconds = Math.max(1e-3, (now.toEpochMilli() - previousAt.toEpochMilli()) / 1000.0);
            armTotals.forEach((dep, byArm) -> byArm.forEach((arm, t) -> {
                ArmTotals p = previousArms.getOrDefault(dep, Map.of()).get(arm);
                push(arms.computeIfAbsent(dep, d -> new LinkedHashMap<>()).computeIfAbsent(arm, a -> new ArrayDeque<>()),
                        difference(now, seconds, t, p));
            }));
            depTotals.forEach((dep, t) -> {
                long[] p = previousDeployments.getOrDefault(dep, new long[2]);
                push(deployments.computeIfAbsent(dep, d -> new ArrayDeque<>()),
                        new DeploymentSample(now, seconds, t[0] - p[0], t[1] - p[1]));
            });
        }
        previousArms = armTotals;
        previousDeployments = depTotals;
        previousAt = now;
    }

    private <T> void push(Deque<T> ring, T sample) {
        ring.addLast(sample);
        while (ring.size() > capacity) {
            ring.removeFirst();
        }
    }

    /** The samples of each arm of a deployment, oldest first. */
    synchronized Map<String, List<ArmSample>> arms(String deployment) {
        Map<String, List<ArmSample>> out = new LinkedHashMap<>();
        arms.getOrDefault(deployment, Map.of()).forEach((arm, ring) -> out.put(arm, List.copyOf(ring)));
        return out;
    }

    /** The samples of a deployment, oldest first. */
    synchronized List<DeploymentSample> deployment(String deployment) {
        return List.copyOf(deployments.getOrDefault(deployment, new ArrayDeque<>()));
    }

    private static ArmSample difference(Instant at, double seconds, ArmTotals now, ArmTotals before) {
        ArmTotals p = before == null ? new ArmTotals(0, 0, 0, 0, new TreeMap<>()) : before;
        long count = now.latencyCount() - p.latencyCount();
        TreeMap<Double, Double> buckets = new TreeMap<>();
        now.buckets().forEach((le, c) -> buckets.put(le, c - p.buckets().getOrDefault(le, 0.0)));
        return new ArmSample(at, seconds, now.requests() - p.requests(), now.failedOver() - p.failedOver(),
                quantile(0.5, buckets, count), quantile(0.9, buckets, count), quantile(0.99, buckets, count),
                count == 0 ? Double.NaN : (now.latencyTotalMs() - p.latencyTotalMs()) / count);
    }

    /**
     * The q-quantile of {@code count} observations given cumulative counts at bucket upper
     * bounds, interpolated linearly inside the bucket holding it; observations above the last
     * bound are reported at that bound.
     */
    static double quantile(double q, TreeMap<Double, Double> cumulative, long count) {
        if (count <= 0) {
            return Double.NaN;
        }
        double rank = q * count;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                double inBucket = e.getValue() - lowerCount;
                return inBucket <= 0 ? e.getKey() : lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    private Map<String, Map<String, ArmTotals>> armTotals() {
        Map<String, Map<String, long[]>> counts = new HashMap<>();
        for (Counter c : meters.find(REQUESTS).counters()) {
            long[] a = counts.computeIfAbsent(tag(c, "deployment"), d -> new HashMap<>()).computeIfAbsent(tag(c, "arm"), x -> new long[2]);
            long n = (long) c.count();
            a[0] += n;
            if (!MODEL_ANSWERED.contains(tag(c, "outcome"))) {
                a[1] += n;
            }
        }
        Map<String, Map<String, ArmTotals>> out = new HashMap<>();
        Map<String, Map<String, List<Timer>>> timers = new HashMap<>();
        for (Timer t : meters.find(LATENCY).tag("stage", "total").timers()) {
            timers.computeIfAbsent(tag(t, "deployment"), d -> new HashMap<>()).computeIfAbsent(tag(t, "arm"), a -> new ArrayList<>()).add(t);
        }
        Set<String> deps = new java.util.HashSet<>(counts.keySet());
        deps.addAll(timers.keySet());
        for (String dep : deps) {
            Set<String> armNames = new java.util.HashSet<>(counts.getOrDefault(dep, Map.of()).keySet());
            armNames.addAll(timers.getOrDefault(dep, Map.of()).keySet());
            for (String arm : armNames) {
                long[] c = counts.getOrDefault(dep, Map.of()).getOrDefault(arm, new long[2]);
                long latencyCount = 0;
                double totalMs = 0;
                TreeMap<Double, Double> buckets = new TreeMap<>();
                for (Timer t : timers.getOrDefault(dep, Map.of()).getOrDefault(arm, List.of())) {
                    var snap = t.takeSnapshot();
                    latencyCount += snap.count();
                    totalMs += snap.total(TimeUnit.MILLISECONDS);
                    for (CountAtBucket b : snap.histogramCounts()) {
                        buckets.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
                    }
                }
                out.computeIfAbsent(dep, d -> new HashMap<>()).put(arm, new ArmTotals(c[0], c[1], latencyCount, totalMs, buckets));
            }
        }
        return out;
    }

    private Map<String, long[]> deploymentTotals() {
        Map<String, long[]> out = new HashMap<>();
        for (Counter c : meters.find(ERRORS).counters()) {
            out.computeIfAbsent(tag(c, "deployment"), d -> new long[2])[0] += (long) c.count();
        }
        for (Counter c : meters.find(REQUESTS).counters()) {
            if (MODEL_ANSWERED.contains(tag(c, "outcome"))) {
                out.computeIfAbsent(tag(c, "deployment"), d -> new long[2])[1] += (long) c.count();
            }
        }
        return out;
    }

    private static String tag(Meter m, String key) {
        String v = m.getId().getTag(key);
        return v == null ? "" : v;
    }
}
