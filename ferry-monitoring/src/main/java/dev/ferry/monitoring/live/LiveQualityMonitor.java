package dev.ferry.monitoring.live;

import dev.ferry.monitoring.alert.ScoreBoard;
import dev.ferry.monitoring.alert.ScoreKey;
import dev.ferry.serving.PredictionLogSink;
import dev.ferry.serving.PredictionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Live data quality of served features, as a prediction log sink: per deployment, model version
 * and window (by the prediction's time) it counts nulls and out-of-range values per feature and
 * degraded answers, and publishes the newest window's rates as scores (so as gauges and to alert
 * rules): {@code live.null_rate{deployment,version,feature}},
 * {@code live.out_of_range_rate{deployment,version,feature}} (checked features only),
 * {@code live.degraded_rate{deployment,version}} and {@code live.predictions{deployment,version}}.
 * Shadow predictions count under their own version. Counting is in memory and cheap; the engine's
 * bounded log queue in front of every sink keeps it off the request path.
 */
public final class LiveQualityMonitor implements PredictionLogSink {

    private final LiveQualityConfig config;
    private final ScoreBoard scores;
    private final Map<String, TreeMap<Long, Window>> byGroup = new HashMap<>();

    public LiveQualityMonitor(LiveQualityConfig config, ScoreBoard scores) {
        this.config = config;
        this.scores = scores;
    }

    private static final class Window {
        final String deployment;
        final int version;
        final long start;
        long predictions;
        long degraded;
        final Map<String, long[]> features = new TreeMap<>();

        Window(String deployment, int version, long start) {
            this.deployment = deployment;
            this.version = version;
            this.start = start;
        }

        WindowQuality snapshot() {
            Map<String, WindowQuality.FeatureCounts> f = new LinkedHashMap<>();
            features.forEach((k, c) -> f.put(k, new WindowQuality.FeatureCounts(c[0], c[1], c[2])));
            return new WindowQuality(deployment, version, Instant.ofEpochMilli(start), predictions, degraded, f);
        }
    }

    @Override
    public synchronized void write(List<PredictionRecord> records) {
        long w = config.window().toMillis();
        Map<String, Window> touched = new LinkedHashMap<>();
        for (PredictionRecord r : records) {
            if (r.features() == null) {
                continue;
            }
            long start = Math.floorDiv(r.at().toEpochMilli(), w) * w;
            String group = r.deployment() + '\u001f' + r.version();
            Window win = window(group, r.deployment(), r.version(), start);
            if (win == null) {
                continue;
            }
            win.predictions++;
            if (r.degraded()) {
                win.degraded++;
            }
            r.features().values().forEach((name, value) -> {
                long[] c = win.features.computeIfAbsent(name, k -> new long[3]);
                c[0]++;
                if (value == null) {
                    c[1]++;
                } else {
                    FeatureCheck check = config.checks().get(name);
                    if (check != null && !check.accepts(value)) {
                        c[2]++;
                    }
                }
            });
            if (byGroup.get(group).lastEntry().getValue() == win) {
                touched.put(group, win);
            }
        }
        touched.values().forEach(this::publish);
    }

    /** The group's window starting at {@code start}; null when it is older than every window kept. */
    private Window window(String group, String deployment, int version, long start) {
        TreeMap<Long, Window> kept = byGroup.computeIfAbsent(group, g -> new TreeMap<>());
        Window win = kept.get(start);
        if (win != null) {
            return win;
        }
        if (kept.size() >= config.keep() && start < kept.firstKey()) {
            return null;
        }
        win = new Window(deployment, version, start);
        kept.put(start, win);
        while (kept.size() > config.keep()) {
            kept.pollFirstEntry();
        }
        return win;
    }

    private void publish(Window win) {
        String v = Integer.toString(win.version);
        scores.set(ScoreKey.of("live.predictions", "deployment", win.deployment, "version", v), win.predictions);
        scores.set(ScoreKey.of("live.degraded_rate", "deployment", win.deployment, "version", v),
                (double) win.degraded / win.predictions);
        win.features.forEach((name, c) -> {
            scores.set(ScoreKey.of("live.null_rate", "deployment", win.deployment, "version", v, "feature", name),
                    (double) c[1] / c[0]);
            if (config.checks().containsKey(name)) {
                scores.set(ScoreKey.of("live.out_of_range_rate", "deployment", win.deployment, "version", v, "feature", name),
                        (double) c[2] / c[0]);
            }
        });
    }

    /** Every kept window, by deployment, version and start. */
    public synchronized List<WindowQuality> windows() {
        List<WindowQuality> out = new ArrayList<>();
        byGroup.values().forEach(q -> q.values().forEach(w -> out.add(w.snapshot())));
        out.sort(java.util.Comparator.comparing(WindowQuality::deployment).thenComparingInt(WindowQuality::version)
                .thenComparing(WindowQuality::windowStart));
        return out;
    }
}
