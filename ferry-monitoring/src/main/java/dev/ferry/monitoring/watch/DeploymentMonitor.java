package dev.ferry.monitoring.watch;

import dev.ferry.NotFoundException;
import dev.ferry.monitoring.alert.AlertEvaluator;
import dev.ferry.monitoring.alert.AlertNotifier;
import dev.ferry.monitoring.alert.LogAlertNotifier;
import dev.ferry.monitoring.alert.ScoreBoard;
import dev.ferry.monitoring.alert.ScoreKey;
import dev.ferry.monitoring.alert.WebhookAlertNotifier;
import dev.ferry.monitoring.drift.DriftDetector;
import dev.ferry.monitoring.drift.DriftReport;
import dev.ferry.monitoring.drift.FeatureDrift;
import dev.ferry.monitoring.live.LiveQualityConfig;
import dev.ferry.monitoring.live.LiveQualityMonitor;
import dev.ferry.monitoring.live.WindowQuality;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.FeatureKind;
import dev.ferry.monitoring.profile.FeatureProfile;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.monitoring.skew.SchemaIssue;
import dev.ferry.serving.PredictionLogSink;
import dev.ferry.serving.PredictionRecord;
import dev.ferry.types.FeatureType;
import dev.ferry.types.ScalarType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what deployments serve, as a prediction log sink. {@link #write} only offers records to
 * a bounded queue (a full queue drops and counts them in {@code ferry.monitor.dropped}), so
 * monitoring never blocks or fails a request; one background thread does the rest:
 * <ul>
 *   <li>served features and predictions are profiled per (deployment, model, version, arm) and
 *       tumbling window by the prediction's time; shadow predictions are kept apart under arm
 *       {@code shadow};</li>
 *   <li>each record's feature types are checked against the version's baseline as it arrives:
 *       a value of another type (a float for an {@code int64} feature, a string for a number),
 *       a feature the baseline lacks or a baseline feature not served is a skew, published and
 *       judged by the alert rules at once (an integer for a floating feature is accepted, since
 *       JSON does not tell {@code 3} from {@code 3.0});</li>
 *   <li>when a window closes (a later record arrives, or the clock passes its end) its profile is
 *       compared with the baseline: per-feature drift, the drifted share, dataset drift and
 *       prediction drift (against the baseline's column of the output's name, else against the
 *       group's first window);</li>
 *   <li>live data quality (null and degraded rates) comes from {@link LiveQualityMonitor}.</li>
 * </ul>
 * Every number is a score on a {@link ScoreBoard}, so a gauge {@code ferry_monitor_<score>} on
 * the given registry, judged by an {@link AlertEvaluator} that notifies the log and the webhook.
 * A version without a baseline is reported once in the log and as {@code baseline_missing = 1},
 * and is otherwise only counted; a baseline that fails to load is counted in
 * {@code ferry.monitor.errors} and tried again in the next window.
 */
public final class DeploymentMonitor implements PredictionLogSink {

    /** Per-feature drift statistic {@code {deployment,model,version,arm,feature,method}}: a p-value or a distance. */
    public static final String DRIFT = "drift";
    /** 1 when the feature drifted in the window, else 0 {@code {deployment,model,version,arm,feature}}. */
    public static final String DRIFT_DETECTED = "drift.detected";
    /** Share of features that drifted in the window {@code {deployment,model,version,arm}}. */
    public static final String DRIFTED_SHARE = "drifted_share";
    /** 1 when the drifted share reached the dataset threshold (0.5), else 0. */
    public static final String DATASET_DRIFT = "dataset_drift";
    /** Prediction drift statistic {@code {deployment,model,version,arm,output,method}}. */
    public static final String PREDICTION_DRIFT = "prediction_drift";
    /** Features served with another type than the baseline's, this window and the last. */
    public static final String SKEW_TYPE_MISMATCH = "skew.type_mismatch";
    /** Baseline features not served, this window and the last. */
    public static final String SKEW_MISSING = "skew.missing";
    /** Served features the baseline lacks, this window and the last. */
    public static final String SKEW_EXTRA = "skew.extra";
    /** Records in the last closed window. */
    public static final String WINDOW_RECORDS = "window.records";
    /** 1 when the model version has no baseline profile (and is not judged), else 0 {@code {deployment,model,version}}. */
    public static final String BASELINE_MISSING = "baseline_missing";

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentMonitor.class);
    private static final int BATCH = 512;
    private static final long EVALUATE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final WatchConfig config;
    private final BaselineSource baselines;
    private final Clock clock;
    private final ScoreBoard scores;
    private final AlertEvaluator alerts;
    private final LiveQualityMonitor quality;
    private final DriftDetector drift = DriftDetector.defaults();
    private final BlockingQueue<PredictionRecord> queue;
    private final Counter dropped;
    private final Counter errors;
    private final Counter windowsClosed;
    private final Map<GroupKey, Group> groups = new LinkedHashMap<>();
    private final Thread worker;
    private final Object progress = new Object();
    private volatile boolean running = true;
    private long accepted;
    private long processed;
    private long lastEvaluation = System.nanoTime();

    /**
     * A monitor publishing to {@code meters}, notifying the log and the configured webhook; its
     * thread starts at once.
     */
    public DeploymentMonitor(WatchConfig config, BaselineSource baselines, MeterRegistry meters, Clock clock) {
        this.config = config;
        this.baselines = baselines;
        this.clock = clock;
        this.scores = new ScoreBoard(meters);
        List<AlertNotifier> notifiers = new ArrayList<>();
        notifiers.add(new LogAlertNotifier());
        config.webhook().ifPresent(u -> notifiers.add(new WebhookAlertNotifier(u, Duration.ofSeconds(5))));
        this.alerts = new AlertEvaluator(config.rules(), clock, notifiers, meters);
        this.quality = new LiveQualityMonitor(new LiveQualityConfig(config.window(), Map.of(), 2), scores);
        this.queue = new ArrayBlockingQueue<>(config.queue());
        this.dropped = Counter.builder("ferry.monitor.dropped").description("served predictions the monitor had no room for")
                .register(meters);
        this.errors = Counter.builder("ferry.monitor.errors").description("monitoring steps that failed (baseline loads, drift)")
                .register(meters);
        this.windowsClosed = Counter.builder("ferry.monitor.windows.closed").description("monitoring windows judged")
                .register(meters);
        Gauge.builder("ferry.monitor.queue", queue, BlockingQueue::size).description("served predictions waiting for the monitor")
                .register(meters);
        this.worker = Thread.ofPlatform().daemon().name("ferry-monitor").start(this::run);
    }

    /** Offers the records to the monitor's queue; never blocks and never throws. */
    @Override
    public void write(List<PredictionRecord> records) {
        int in = 0;
        for (PredictionRecord r : records) {
            if (queue.offer(r)) {
                in++;
            } else {
                dropped.increment();
            }
        }
        synchronized (progress) {
            accepted += in;
        }
    }

    private void run() {
        List<PredictionRecord> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                PredictionRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    guarded(() -> process(batch));
                }
                guarded(this::closeDueWindows);
                if (System.nanoTime() - lastEvaluation > EVALUATE_EVERY_NANOS) {
                    guarded(this::evaluate);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                synchronized (progress) {
                    processed += batch.size();
                    progress.notifyAll();
                }
                batch.clear();
            }
        }
    }

    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            errors.increment();
            LOG.warn("monitoring step failed: {}", e.toString());
        }
    }

    private synchronized void process(List<PredictionRecord> batch) {
        guarded(() -> quality.write(batch));
        long w = config.window().toMillis();
        boolean changed = false;
        for (PredictionRecord r : batch) {
            if (r.features() == null || r.version() <= 0) {
                continue;
            }
            GroupKey key = new GroupKey(r.deployment(), r.model(), r.version(), r.shadow() ? "shadow" : r.arm());
            Group g = groups.computeIfAbsent(key, Group::new);
            long start = Math.floorDiv(r.at().toEpochMilli(), w) * w;
            if (g.open != null && start > g.open.start) {
                close(g);
            }
            if (g.open == null) {
                g.open = new Window(start);
                loadBaseline(g);
            } else if (start < g.open.start) {
                g.late++;
                continue;
            }
            g.open.records++;
            if (g.baseline != null) {
                g.open.features.add(r.features().values());
                if (r.output() != null) {
                    g.open.outputs.add(r.output().values());
                }
                changed |= checkTypes(g, r);
            }
        }
        if (changed) {
            evaluate();
        }
    }

    private void loadBaseline(Group g) {
        if (g.baseline != null || g.state == BaselineState.MISSING) {
            return;
        }
        GroupKey k = g.key;
        try {
            g.baseline = baselines.load(k.model(), k.version());
            g.state = BaselineState.PRESENT;
            g.problem = null;
            scores.set(ScoreKey.of(BASELINE_MISSING, "deployment", k.deployment(), "model", k.model(), "version",
                    Integer.toString(k.version())), 0);
        } catch (NotFoundException e) {
            g.state = BaselineState.MISSING;
            g.problem = e.getMessage();
            scores.set(ScoreKey.of(BASELINE_MISSING, "deployment", k.deployment(), "model", k.model(), "version",
                    Integer.toString(k.version())), 1);
            LOG.warn("deployment '{}' arm '{}' is not monitored for drift or skew: {}", k.deployment(), k.arm(), e.getMessage());
        } catch (RuntimeException e) {
            g.state = BaselineState.FAILED;
            g.problem = e.toString();
            errors.increment();
            LOG.warn("baseline of model '{}' version {} could not be loaded (tried again next window): {}", k.model(), k.version(),
                    e.toString());
        }
    }

    /** Checks the record's feature types against the baseline; true when a new skew was found. */
    private boolean checkTypes(Group g, PredictionRecord r) {
        boolean found = false;
        Map<String, Object> values = r.features().values();
        if (!g.open.shapeChecked) {
            g.open.shapeChecked = true;
            for (String name : g.baseline.names()) {
                if (!values.containsKey(name) && (r.output() == null || !r.output().values().containsKey(name))) {
                    found |= issue(g, new SchemaIssue(name, SchemaIssue.Kind.MISSING,
                            g.baseline.feature(name).orElseThrow().type().toString(), null));
                }
            }
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            if (v == null || g.open.lastClass.get(e.getKey()) == v.getClass()) {
                continue;
            }
            g.open.lastClass.put(e.getKey(), v.getClass());
            Optional<FeatureProfile> b = g.baseline.feature(e.getKey());
            if (b.isEmpty()) {
                found |= issue(g, new SchemaIssue(e.getKey(), SchemaIssue.Kind.EXTRA, null, servedType(v)));
            } else if (!compatible(b.get().type(), v)) {
                found |= issue(g, new SchemaIssue(e.getKey(), SchemaIssue.Kind.TYPE_MISMATCH, b.get().type().toString(), servedType(v)));
            }
        }
        return found;
    }

    private boolean issue(Group g, SchemaIssue i) {
        String id = i.kind() + "\u001f" + i.feature();
        if (g.open.issues.putIfAbsent(id, i) != null) {
            return false;
        }
        if (!g.previousIssues.containsKey(id)) {
            LOG.warn("deployment '{}' model '{}' version {} arm '{}': {}", g.key.deployment(), g.key.model(), g.key.version(),
                    g.key.arm(), i.message());
        }
        publishSkew(g);
        return true;
    }

    private void publishSkew(Group g) {
        Map<String, SchemaIssue> all = new LinkedHashMap<>(g.previousIssues);
        if (g.open != null) {
            all.putAll(g.open.issues);
        }
        Map<SchemaIssue.Kind, Integer> counts = new HashMap<>();
        all.values().forEach(i -> counts.merge(i.kind(), 1, Integer::sum));
        scores.set(g.score(SKEW_TYPE_MISMATCH), counts.getOrDefault(SchemaIssue.Kind.TYPE_MISMATCH, 0));
        scores.set(g.score(SKEW_MISSING), counts.getOrDefault(SchemaIssue.Kind.MISSING, 0));
        scores.set(g.score(SKEW_EXTRA), counts.getOrDefault(SchemaIssue.Kind.EXTRA, 0));
    }

    /** Whether a served value fits a baseline type; integers fit floating types (JSON numbers). */
    static boolean compatible(FeatureType type, Object v) {
        if (type.isVector()) {
            return v instanceof List<?> || v.getClass().isArray();
        }
        ScalarType s = type.scalar();
        if (s == ScalarType.BOOL) {
            return v instanceof Boolean;
        }
        if (s == ScalarType.STRING) {
            return v instanceof String;
        }
        if (s.isInteger()) {
            return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof BigInteger;
        }
        return v instanceof Number;
    }

    /** The type name of a served value, as profiles name types. */
    static String servedType(Object v) {
        return switch (v) {
            case Boolean b -> "bool";
            case String s -> "string";
            case Double d -> "float64";
            case Float f -> "float32";
            case Integer i -> "int32";
            case Short i -> "int32";
            case Byte i -> "int32";
            case Number n -> "int64";
            case List<?> l -> "vector[" + l.size() + "]";
            default -> v.getClass().isArray() ? "vector" : v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Closes and judges every open window whose end the clock has passed. The monitor's thread
     * does this on its own several times a second; callers with a hand-moved clock may ask.
     */
    public synchronized void closeDueWindows() {
        long now = clock.millis();
        long w = config.window().toMillis();
        boolean any = false;
        for (Group g : groups.values()) {
            if (g.open != null && g.open.start + w <= now) {
                close(g);
                any = true;
            }
        }
        if (any) {
            evaluate();
        }
    }

    private void close(Group g) {
        Window win = g.open;
        g.open = null;
        g.previousIssues = win.issues;
        long w = config.window().toMillis();
        scores.set(g.score(WINDOW_RECORDS), win.records);
        windowsClosed.increment();
        if (g.baseline == null) {
            if (g.state == BaselineState.FAILED) {
                g.state = BaselineState.UNKNOWN;
            }
            return;
        }
        publishSkew(g);
        try {
            WindowResult result = judge(g, win, w);
            g.last = result;
            if (g.referenceOutputs == null) {
                g.referenceOutputs = result.outputs;
            }
            publish(g, result);
        } catch (RuntimeException e) {
            errors.increment();
            LOG.warn("drift of deployment '{}' version {} could not be computed: {}", g.key.deployment(), g.key.version(), e.toString());
        }
    }

    /** The verdict on one window's profiles (read-only: publishes nothing). */
    private WindowResult judge(Group g, Window win, long w) {
        DatasetProfile served = win.features.snapshot();
        DatasetProfile outputs = win.outputs.snapshot();
        DriftReport report = served.rowCount() == 0 ? null : drift.compare(g.baseline, served);
        List<FeatureDrift> predictions = new ArrayList<>();
        for (FeatureProfile o : outputs.features()) {
            FeatureProfile ref = g.baseline.feature(o.name())
                    .or(() -> g.referenceOutputs == null ? Optional.empty() : g.referenceOutputs.feature(o.name()))
                    .orElse(null);
            if (ref != null && ref.kind() == o.kind() && o.kind() != FeatureKind.VECTOR && ref.validCount() > 0 && o.validCount() > 0) {
                predictions.add(drift.compareFeature(ref, o));
            }
        }
        return new WindowResult(Instant.ofEpochMilli(win.start), Instant.ofEpochMilli(win.start + w), win.records, report,
                predictions, served, outputs);
    }

    private void publish(Group g, WindowResult r) {
        if (r.drift == null) {
            return;
        }
        for (FeatureDrift f : r.drift.features()) {
            scores.set(g.score(DRIFT, "feature", f.feature(), "method", f.method().id()), f.statistic());
            scores.set(g.score(DRIFT_DETECTED, "feature", f.feature()), f.drifted() ? 1 : 0);
        }
        scores.set(g.score(DRIFTED_SHARE), r.drift.driftedShare());
        scores.set(g.score(DATASET_DRIFT), r.drift.datasetDrifted() ? 1 : 0);
        for (FeatureDrift p : r.predictions) {
            scores.set(g.score(PREDICTION_DRIFT, "output", p.feature(), "method", p.method().id()), p.statistic());
        }
    }

    private synchronized void evaluate() {
        lastEvaluation = System.nanoTime();
        alerts.evaluate(scores);
    }

    /** Waits until every record offered so far has been profiled (for tests and benchmarks). */
    public void awaitProcessed() throws InterruptedException {
        synchronized (progress) {
            long target = accepted;
            while (processed < target && worker.isAlive()) {
                progress.wait(100);
            }
        }
    }

    /** The score board every monitoring number is published on. */
    public ScoreBoard scores() {
        return scores;
    }

    /**
     * What the monitor knows of one deployment, JSON-ready (for {@code GET
     * /v1/monitoring/deployments/{name}}): per (model, version, arm) the baseline's state, the
     * open window, the latest closed window's per-feature drift, prediction drift, drifted share
     * and types, the skew issues, live quality, and the alert series firing for the deployment.
     * With {@code judgeOpen} the open window is judged now too (on demand, without publishing).
     * Empty when nothing was served to the deployment yet.
     */
    public synchronized Optional<Map<String, Object>> status(String deployment, boolean judgeOpen) {
        List<Map<String, Object>> out = new ArrayList<>();
        long w = config.window().toMillis();
        List<WindowQuality> windows = quality.windows();
        for (Group g : groups.values()) {
            if (!g.key.deployment().equals(deployment)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", g.key.model());
            m.put("version", g.key.version());
            m.put("arm", g.key.arm());
            m.put("baseline", g.state.name().toLowerCase(Locale.ROOT));
            m.put("baseline_problem", g.problem);
            m.put("late_records", g.late);
            if (g.open != null) {
                Map<String, Object> open = new LinkedHashMap<>();
                open.put("start", Instant.ofEpochMilli(g.open.start).toString());
                open.put("end", Instant.ofEpochMilli(g.open.start + w).toString());
                open.put("records", g.open.records);
                if (judgeOpen && g.baseline != null && g.open.records > 0) {
                    open.put("judged", window(judge(g, g.open, w), g.baseline));
                }
                m.put("open_window", open);
            }
            m.put("latest_window", g.last == null ? null : window(g.last, g.baseline));
            Map<String, SchemaIssue> issues = new LinkedHashMap<>(g.previousIssues);
            if (g.open != null) {
                issues.putAll(g.open.issues);
            }
            m.put("skew", issues.values().stream().map(i -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("feature", i.feature());
                s.put("kind", i.kind().name().toLowerCase(Locale.ROOT));
                s.put("trained", i.trained());
                s.put("served", i.served());
                s.put("message", i.message());
                return s;
            }).toList());
            m.put("quality", windows.stream().filter(q -> q.deployment().equals(deployment) && q.version() == g.key.version())
                    .reduce((a, b) -> b).map(DeploymentMonitor::qualityMap).orElse(null));
            out.add(m);
        }
        if (out.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("deployment", deployment);
        result.put("window", config.window().toString());
        result.put("groups", out);
        List<Map<String, Object>> firing = new ArrayList<>();
        alerts.firing().forEach((rule, keys) -> keys.stream()
                .filter(k -> deployment.equals(ScoreKey.parse(k).labels().get("deployment")))
                .forEach(k -> firing.add(Map.of("rule", rule, "score", k, "state", "firing"))));
        result.put("alerts", firing);
        result.put("rules", config.rules().stream().map(r -> Map.of("name", r.name(), "condition", r.condition())).toList());
        return Optional.of(result);
    }

    private static Map<String, Object> window(WindowResult r, DatasetProfile baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", r.start.toString());
        m.put("end", r.end.toString());
        m.put("records", r.records);
        List<Map<String, Object>> features = new ArrayList<>();
        for (FeatureProfile served : r.served.features()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("feature", served.name());
            f.put("baseline_type", baseline.feature(served.name()).map(b -> b.type().toString()).orElse(null));
            f.put("served_type", served.type().toString());
            f.put("null_rate", finite(served.nullRate()));
            Optional<FeatureDrift> d = r.drift == null ? Optional.empty()
                    : r.drift.features().stream().filter(x -> x.feature().equals(served.name())).findFirst();
            d.ifPresent(x -> f.putAll(drift(x)));
            features.add(f);
        }
        m.put("features", features);
        m.put("drifted_share", r.drift == null ? null : r.drift.driftedShare());
        m.put("dataset_drifted", r.drift != null && r.drift.datasetDrifted());
        m.put("predictions", r.predictions.stream().map(DeploymentMonitor::drift).toList());
        return m;
    }

    private static Map<String, Object> drift(FeatureDrift d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature", d.feature());
        m.put("method", d.method().id());
        m.put("statistic", finite(d.statistic()));
        m.put("threshold", d.threshold());
        m.put("drifted", d.drifted());
        return m;
    }

    private static Map<String, Object> qualityMap(WindowQuality q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window_start", q.windowStart().toString());
        m.put("predictions", q.predictions());
        m.put("degraded_rate", finite(q.degradedRate()));
        Map<String, Object> f = new LinkedHashMap<>();
        q.features().forEach((k, c) -> f.put(k, Map.of("seen", c.seen(), "null_rate", c.nullRate())));
        m.put("features", f);
        return m;
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    /** Stops the thread after the queue is drained. */
    @Override
    public void close() {
        running = false;
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private enum BaselineState { UNKNOWN, PRESENT, MISSING, FAILED }

    private record GroupKey(String deployment, String model, int version, String arm) {
    }

    /** One tumbling window's profiles and the skews it showed. */
    private static final class Window {
        final long start;
        final ProfileAccumulator features = ProfileAccumulator.inferring();
        final ProfileAccumulator outputs = ProfileAccumulator.inferring();
        final Map<String, Class<?>> lastClass = new HashMap<>();
        final Map<String, SchemaIssue> issues = new LinkedHashMap<>();
        long records;
        boolean shapeChecked;

        Window(long start) {
            this.start = start;
        }
    }

    private record WindowResult(Instant start, Instant end, long records, DriftReport drift, List<FeatureDrift> predictions,
                                DatasetProfile served, DatasetProfile outputs) {
    }

    /** What is kept per deployment, model, version and arm. */
    private static final class Group {
        final GroupKey key;
        BaselineState state = BaselineState.UNKNOWN;
        String problem;
        DatasetProfile baseline;
        DatasetProfile referenceOutputs;
        Window open;
        WindowResult last;
        Map<String, SchemaIssue> previousIssues = Map.of();
        long late;

        Group(GroupKey key) {
            this.key = key;
        }

        ScoreKey score(String name, String... more) {
            String[] labels = new String[8 + more.length];
            labels[0] = "deployment";
            labels[1] = key.deployment();
            labels[2] = "model";
            labels[3] = key.model();
            labels[4] = "version";
            labels[5] = Integer.toString(key.version());
            labels[6] = "arm";
            labels[7] = key.arm();
            System.arraycopy(more, 0, labels, 8, more.length);
            return ScoreKey.of(name, labels);
        }
    }
}
