package dev.ferry.console;

import dev.ferry.InvalidInputException;
import dev.ferry.server.ServerContext;
import dev.ferry.server.ServerExtension;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ferry's web console, served by the server under {@code /console/}: models and their lineage,
 * deployments and their traffic split, live latency and error charts, staged rollouts, and the
 * audit log. It is a {@link ServerExtension}: on the class path it is found and mounted by itself.
 * It reads through {@code /console/api/...} (and rollouts through {@code /v1/rollouts}, which the
 * rollout extension publishes when it is mounted) and changes things only through the
 * token-protected admin API.
 */
public final class Console implements ServerExtension {

    /** The default time between two traffic samples. */
    public static final Duration DEFAULT_SAMPLE_EVERY = Duration.ofSeconds(5);
    /** The default length of the traffic history kept in memory. */
    public static final Duration DEFAULT_HISTORY = Duration.ofMinutes(15);

    private final Duration sampleEvery;
    private final Duration history;
    private ScheduledExecutorService sampler;

    /** The console with the default sampling (every 5 s, 15 minutes kept); used by {@link java.util.ServiceLoader}. */
    public Console() {
        this(DEFAULT_SAMPLE_EVERY, DEFAULT_HISTORY);
    }

    /** A console sampling traffic every {@code sampleEvery} and keeping {@code history} of it. */
    public Console(Duration sampleEvery, Duration history) {
        if (sampleEvery == null || sampleEvery.toMillis() < 100) {
            throw new InvalidInputException("console sample interval was " + sampleEvery + " but it must be at least 100 ms");
        }
        if (history == null || history.compareTo(sampleEvery) < 0) {
            throw new InvalidInputException("console history was " + history + " but it must be at least the sample interval " + sampleEvery);
        }
        this.sampleEvery = sampleEvery;
        this.history = history;
    }

    /**
     * Turns on a latency histogram for the engine's latency timer, so percentiles of any interval
     * can be computed from the end-to-end stage ({@code stage=total}); Prometheus sees the buckets
     * too. Every stage gets one: Prometheus requires all series of one metric name to be of one
     * type, and a scrape mixing histogram and summary series of {@code ferry_serving_latency}
     * would fail.
     */
    @Override
    public void configureMeters(MeterRegistry registry) {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!TrafficHistory.LATENCY.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos() / 100)
                        .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos())
                        .build().merge(config);
            }
        });
        // load and initialize the histogram's classes now: the first request would otherwise pay
        // for it inside its time budget
        Timer warm = Timer.builder(TrafficHistory.LATENCY).tags("deployment", "", "arm", "", "model", "", "version", "0",
                "stage", "total").register(registry);
        warm.record(Duration.ofMillis(1));
        warm.takeSnapshot();
        registry.remove(warm);
    }

    @Override
    public synchronized void register(ServerContext context) {
        HttpRouting.Builder routing = context.routing();
        int capacity = (int) Math.max(1, history.toMillis() / sampleEvery.toMillis());
        TrafficHistory traffic = new TrafficHistory(context.engine().meterRegistry(), capacity);
        MonitoringHistory monitoring = new MonitoringHistory(context, MonitoringHistory.DEFAULT_WINDOWS);
        sampler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ferry-console-sampler").factory());
        sampler.scheduleAtFixedRate(() -> {
            try {
                traffic.sample(context.clock().instant());
            } catch (RuntimeException e) {
                // a sample lost to a meter read failing leaves a gap; the next one measures from the last good one
                context.engine().meterRegistry().counter("ferry.console.sample.failures").increment();
            }
            try {
                monitoring.sample();
            } catch (RuntimeException e) {
                // a window closed and replaced before the next good read is missing from the history
                context.engine().meterRegistry().counter("ferry.console.sample.failures").increment();
            }
        }, 0, sampleEvery.toMillis(), TimeUnit.MILLISECONDS);
        new ConsoleApi(context, traffic, sampleEvery).register(routing);
        monitoring.register(routing);
        new StaticFiles().register(routing);
    }

    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }
}
