package dev.ferry.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The engine's meters, named in one place. Latency timers carry deployment, arm, model and
 * version so a canary's latency can be compared with its stable arm's.
 */
final class ServingMetrics {

    static final String REQUESTS = "ferry.serving.requests";
    static final String ERRORS = "ferry.serving.errors";
    static final String LATENCY = "ferry.serving.latency";
    static final String FALLBACKS = "ferry.serving.fallbacks";
    static final String SHADOW = "ferry.serving.shadow";
    static final String LOG_DROPPED = "ferry.serving.log.dropped";
    static final String MODEL_LOAD = "ferry.serving.model.load";
    static final String DEGRADED = "ferry.serving.degraded";
    static final String ISOLATED = "ferry.serving.model.isolated";

    private final MeterRegistry registry;
    // Meters of the request path, found by a hash lookup instead of being registered on every
    // request (building and sorting tags and a meter id cost more than the recording itself).
    private final java.util.concurrent.ConcurrentMap<Route, RouteMeters> routes = new java.util.concurrent.ConcurrentHashMap<>();

    ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private record Route(String deployment, String arm, String model, int version) {
    }

    /** One route's latency timers by stage and request counters by outcome, each registered once. */
    private final class RouteMeters {
        private final Route route;
        private final java.util.concurrent.ConcurrentMap<String, Timer> stages = new java.util.concurrent.ConcurrentHashMap<>(8);
        private final java.util.concurrent.ConcurrentMap<String, Counter> outcomes =
                new java.util.concurrent.ConcurrentHashMap<>(8);

        RouteMeters(Route route) {
            this.route = route;
        }

        Timer stage(String stage) {
            Timer t = stages.get(stage);
            return t != null ? t : stages.computeIfAbsent(stage, s -> Timer.builder(LATENCY)
                    .tags(route(route.deployment, route.arm, route.model, route.version).and("stage", s)).register(registry));
        }

        Counter outcome(String outcome) {
            Counter c = outcomes.get(outcome);
            return c != null ? c : outcomes.computeIfAbsent(outcome, o -> registry.counter(REQUESTS,
                    route(route.deployment, route.arm, route.model, route.version).and("outcome", o)));
        }
    }

    private RouteMeters meters(String deployment, String arm, String model, int version) {
        Route key = new Route(deployment, arm, model, version);
        RouteMeters m = routes.get(key);
        return m != null ? m : routes.computeIfAbsent(key, RouteMeters::new);
    }

    MeterRegistry registry() {
        return registry;
    }

    private static Tags route(String deployment, String arm, String model, int version) {
        return Tags.of("deployment", deployment, "arm", arm, "model", model, "version", Integer.toString(version));
    }

    void request(String deployment, String arm, String model, int version, String outcome) {
        meters(deployment, arm, model, version).outcome(outcome).increment();
    }

    void error(String deployment, String kind) {
        registry.counter(ERRORS, "deployment", deployment, "kind", kind).increment();
    }

    void latency(String stage, String deployment, String arm, String model, int version, long nanos) {
        meters(deployment, arm, model, version).stage(stage).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void fallback(String deployment, AnswerSource source, String cause) {
        registry.counter(FALLBACKS, "deployment", deployment, "source", source.name().toLowerCase(java.util.Locale.ROOT),
                "cause", cause).increment();
    }

    void degraded(String deployment) {
        registry.counter(DEGRADED, "deployment", deployment).increment();
    }

    void shadow(String deployment, String outcome) {
        registry.counter(SHADOW, "deployment", deployment, "outcome", outcome).increment();
    }

    Counter shadowDropped() {
        return registry.counter(SHADOW, "deployment", "all", "outcome", "dropped");
    }

    Counter logDropped() {
        return registry.counter(LOG_DROPPED);
    }

    /** A model passed its budget on the caller's thread and now runs on the inference executor for a while. */
    void isolated(String model, int version) {
        registry.counter(ISOLATED, "model", model, "version", Integer.toString(version)).increment();
    }

    void modelLoad(String model, int version, String outcome, long nanos) {
        Timer.builder(MODEL_LOAD).tags("model", model, "version", Integer.toString(version), "outcome", outcome)
                .register(registry).record(Duration.ofNanos(nanos));
    }
}
