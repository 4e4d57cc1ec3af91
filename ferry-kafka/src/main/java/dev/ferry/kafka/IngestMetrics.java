package dev.ferry.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingestor's meters, per view: {@code ferry.stream.freshness} (event time to servable, with
 * p50/p90/p99 and a histogram) and {@code ferry.stream.records} counters tagged
 * {@code outcome=accepted|rejected}.
 */
final class IngestMetrics {

    static final String FRESHNESS = "ferry.stream.freshness";
    static final String RECORDS = "ferry.stream.records";

    private final MeterRegistry registry;
    private final Map<String, Timer> freshness = new ConcurrentHashMap<>();
    private final Map<String, Counter> accepted = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void servable(String view, Duration lag) {
        freshness.computeIfAbsent(view, v -> Timer.builder(FRESHNESS)
                .description("Time from a feature update's event time until it is servable from the online store")
                .tag("view", v).publishPercentiles(0.5, 0.9, 0.99).publishPercentileHistogram()
                .register(registry)).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void accepted(String view, int n) {
        accepted.computeIfAbsent(view, v -> counter(v, "accepted")).increment(n);
    }

    void rejected(String view, int n) {
        rejected.computeIfAbsent(view, v -> counter(v, "rejected")).increment(n);
    }

    private Counter counter(String view, String outcome) {
        return Counter.builder(RECORDS).description("Stream messages by outcome").tag("view", view).tag("outcome", outcome).register(registry);
    }
}
