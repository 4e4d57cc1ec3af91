package dev.ferry.monitoring.alert;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The current value of every named score, thread-safe, each also a Micrometer gauge
 * {@code ferry.monitor.<name>} tagged with its labels (so {@code accuracy{deployment=credit}} is
 * scraped as {@code ferry_monitor_accuracy{deployment="credit"}}). Producers (accuracy runs,
 * drift and skew checks, the live monitor) {@link #set} scores; {@link AlertEvaluator} reads a
 * {@link #snapshot()}. Use the same label names for every series of one score name, as Prometheus
 * requires.
 */
public final class ScoreBoard {

    /** Prefix of every gauge name. */
    public static final String METER_PREFIX = "ferry.monitor.";

    private final MeterRegistry meters;
    private final Map<ScoreKey, AtomicLong> values = new ConcurrentHashMap<>();

    public ScoreBoard(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Sets a score (NaN means "undefined now", e.g. AUC with one class). */
    public void set(ScoreKey key, double value) {
        values.computeIfAbsent(key, this::register).set(Double.doubleToLongBits(value));
    }

    /** The score's current value, or NaN when it was never set. */
    public double get(ScoreKey key) {
        AtomicLong v = values.get(key);
        return v == null ? Double.NaN : Double.longBitsToDouble(v.get());
    }

    /** Every score now, sorted by key text. */
    public Map<ScoreKey, Double> snapshot() {
        Map<ScoreKey, Double> out = new TreeMap<>(java.util.Comparator.comparing(ScoreKey::toString));
        values.forEach((k, v) -> out.put(k, Double.longBitsToDouble(v.get())));
        return out;
    }

    private AtomicLong register(ScoreKey key) {
        AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
        Tags tags = Tags.empty();
        for (var e : key.labels().entrySet()) {
            tags = tags.and(e.getKey(), e.getValue());
        }
        Gauge.builder(METER_PREFIX + key.name(), bits, b -> Double.longBitsToDouble(b.get()))
                .tags(tags)
                .description("Ferry monitoring score " + key.name())
                .register(meters);
        return bits;
    }
}
