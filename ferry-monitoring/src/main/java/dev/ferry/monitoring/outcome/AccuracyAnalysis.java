package dev.ferry.monitoring.outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Accuracy over time from stored joined outcomes: grouped by time window (of the prediction),
 * deployment, model version, arm and, optionally, a feature's value, so a model that is fine on
 * average but broken for one country or device shows as its own row. Use {@link ArmComparison}
 * to ask whether two arms differ beyond chance.
 */
public final class AccuracyAnalysis {

    private AccuracyAnalysis() {
    }

    /** One row per group, ordered by window, deployment, version, arm and segment. */
    public static List<AccuracyRow> compute(List<JoinedOutcome> outcomes, AccuracyOptions o) {
        Map<Key, List<JoinedOutcome>> groups = new TreeMap<>();
        long w = o.window().toMillis();
        for (JoinedOutcome j : outcomes) {
            LoggedPrediction p = j.prediction();
            long start = Math.floorDiv(p.at().toEpochMilli(), w) * w;
            Optional<String> seg = o.segmentBy().map(f -> segment(p, f));
            groups.computeIfAbsent(new Key(start, p.deployment(), p.model(), p.version(), p.arm(), seg.orElse("")),
                    k -> new ArrayList<>()).add(j);
        }
        List<AccuracyRow> rows = new ArrayList<>();
        groups.forEach((k, g) -> rows.add(row(k, g, o)));
        return rows;
    }

    /** The metrics of all {@code outcomes} as one group (no windows, arms or segments). */
    public static Map<String, Double> overall(List<JoinedOutcome> outcomes, AccuracyOptions o) {
        return row(new Key(0, "", "", 0, "", ""), outcomes, o).metrics();
    }

    static String segment(LoggedPrediction p, String feature) {
        Object v = p.features().containsKey(feature) ? p.features().get(feature) : p.entity().get(feature);
        return v == null ? "(null)" : EntityKeys.text(v);
    }

    private static AccuracyRow row(Key k, List<JoinedOutcome> g, AccuracyOptions o) {
        double[] s = new double[g.size()];
        double[] y = new double[g.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = Scores.score(g.get(i), o.scoreField());
            y[i] = g.get(i).label();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        Optional<Calibration> cal = Optional.empty();
        if (o.task() == Task.CLASSIFICATION) {
            m.put("auc", Metrics.auc(s, y));
            m.put("log_loss", Metrics.logLoss(s, y));
            m.put("accuracy", Metrics.accuracy(s, y, o.threshold()));
            Calibration c = Calibration.of(s, y, o.buckets());
            m.put("ece", c.expectedCalibrationError());
            double pos = 0;
            for (double v : y) {
                pos += v;
            }
            m.put("positive_rate", pos / y.length);
            cal = Optional.of(c);
        } else {
            m.put("mae", Metrics.mae(s, y));
            m.put("rmse", Metrics.rmse(s, y));
        }
        Optional<String> seg = k.segment().isEmpty() && o.segmentBy().isEmpty() ? Optional.empty() : Optional.of(k.segment());
        return new AccuracyRow(Instant.ofEpochMilli(k.start()), k.deployment(), k.model(), k.version(), k.arm(), seg,
                g.size(), m, cal);
    }

    private record Key(long start, String deployment, String model, int version, String arm, String segment)
            implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::start).thenComparing(Key::deployment)
                .thenComparing(Key::model).thenComparingInt(Key::version).thenComparing(Key::arm).thenComparing(Key::segment);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }
}
