package dev.ferry.monitoring.report;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.drift.DriftReport;
import dev.ferry.monitoring.drift.FeatureDrift;
import dev.ferry.monitoring.drift.Samples;
import dev.ferry.monitoring.outcome.Calibration;
import dev.ferry.monitoring.outcome.Metrics;
import dev.ferry.monitoring.outcome.Task;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.FeatureKind;
import dev.ferry.monitoring.profile.FeatureProfile;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import dev.ferry.monitoring.report.MonitoringReport.Accuracy;
import dev.ferry.monitoring.report.MonitoringReport.AccuracyPoint;
import dev.ferry.monitoring.report.MonitoringReport.DatasetPoint;
import dev.ferry.monitoring.report.MonitoringReport.FeatureSection;
import dev.ferry.monitoring.report.MonitoringReport.Quality;
import dev.ferry.monitoring.report.MonitoringReport.WindowDrift;
import dev.ferry.monitoring.report.MonitoringReport.WindowInfo;
import dev.ferry.monitoring.report.Windowing.Window;
import dev.ferry.monitoring.skew.SkewChecker;
import dev.ferry.monitoring.skew.SkewReport;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Computes a {@link MonitoringReport}: drift of every feature and of the prediction over the whole
 * analysis period and per window (with the {@link dev.ferry.monitoring.drift.DriftDetector} of the
 * options: exact tests against reference data, sketch-based ones against a stored profile), the
 * share of drifted features per window, skew and data quality from both sides' profiles
 * ({@link SkewChecker}), and accuracy per window with calibration from outcomes. The same inputs
 * give the same report.
 */
public final class ReportBuilder {

    private ReportBuilder() {
    }

    /** A report without outcomes. */
    public static MonitoringReport build(ReportReference reference, ReportData analysis, ReportOptions o, IntConsumer progress) {
        return build(reference, analysis, Optional.empty(), "", o, progress);
    }

    /**
     * A report; {@code outcomes}, when present, add accuracy per window and calibration, and
     * {@code outcomeSource} says where they came from. {@code progress} receives the number of
     * windows compared so far.
     */
    public static MonitoringReport build(ReportReference reference, ReportData analysis, Optional<List<ReportOutcome>> outcomes,
                                         String outcomeSource, ReportOptions o, IntConsumer progress) {
        if (!analysis.timed()) {
            throw new InvalidInputException("analysis data " + analysis.source() + " was read without a timestamp column, but a report splits it into windows by time");
        }
        if (analysis.rowCount() == 0) {
            throw new InvalidInputException("analysis data " + analysis.source() + " has no rows");
        }
        o.prediction().ifPresent(p -> analysis.type(p).orElseThrow(() -> new InvalidInputException(
                "prediction column was '" + p + "' but " + analysis.source() + " has only the columns " + analysis.columns())));
        List<String> features = analysis.columns().stream()
                .filter(c -> !o.exclude().contains(c) && !o.prediction().map(c::equals).orElse(false)).toList();
        if (features.isEmpty()) {
            throw new InvalidInputException("analysis data " + analysis.source() + " has no feature columns left after excluding " + o.exclude());
        }
        List<String> compared = new ArrayList<>(features);
        o.prediction().ifPresent(compared::add);

        int[] all = IntStream.range(0, analysis.rowCount()).toArray();
        List<Instant> times = new ArrayList<>(analysis.rowCount());
        for (int i : all) {
            times.add(analysis.time(i));
        }
        List<Window> windows = o.windowing().split(times);

        DatasetProfile refProfile = switch (reference) {
            case ReportReference.Data d -> profile(d.data(), referenceColumns(d.data(), o), IntStream.range(0, d.data().rowCount()).toArray());
            case ReportReference.Profile p -> without(p.profile(), o);
        };
        DatasetProfile curProfile = profile(analysis, compared, all);
        SkewReport skew = new SkewChecker(o.detector(), o.maxNullRateDifference()).compare(refProfile, curProfile);

        RefSamples refSamples = null;
        if (reference instanceof ReportReference.Data d) {
            int[] refRows = IntStream.range(0, d.data().rowCount()).toArray();
            refSamples = new RefSamples(samples(d.data(), features, refRows),
                    o.prediction().filter(p -> d.data().type(p).isPresent()).map(p -> samples(d.data(), List.of(p), refRows)));
        }
        Comparison overall = compare(refSamples, refProfile, analysis, features, o.prediction(), all, o);
        List<Comparison> perWindow = new ArrayList<>();
        for (Window w : windows) {
            perWindow.add(compare(refSamples, refProfile, analysis, features, o.prediction(), w.rows(), o));
            progress.accept(perWindow.size());
        }

        List<FeatureSection> sections = new ArrayList<>();
        for (String f : features) {
            sections.add(section(f, reference, refProfile, curProfile, analysis, windows, overall, perWindow, skew));
        }
        Optional<FeatureSection> prediction = o.prediction()
                .map(p -> section(p, reference, refProfile, curProfile, analysis, windows, overall, perWindow, skew));
        List<DatasetPoint> dataset = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            DriftReport r = perWindow.get(i).features();
            dataset.add(new DatasetPoint(windows.get(i).label(), r.driftedShare(), r.datasetDrifted()));
        }
        List<WindowInfo> infos = windows.stream().map(w -> new WindowInfo(w.label(), w.start(), w.end(), w.rows().length)).toList();
        Optional<Accuracy> accuracy = outcomes.map(list -> accuracy(list, outcomeSource, windows, o));
        return new MonitoringReport(o.title(), reference.describe(),
                analysis.source().getFileName() + " (" + analysis.rowCount() + " rows)", o.windowing().describe(), infos, sections,
                prediction, dataset, overall.features().datasetThreshold(), skew.schemaIssues(), accuracy);
    }

    /** Drift of the features (dataset share counted over them) and, apart, of the prediction. */
    private record Comparison(DriftReport features, Optional<FeatureDrift> prediction) {
    }

    /** The reference's raw values, sorted once for every window's exact tests. */
    private record RefSamples(Samples features, Optional<Samples> prediction) {
    }

    private static Comparison compare(RefSamples ref, DatasetProfile refProfile, ReportData analysis, List<String> features,
                                      Optional<String> prediction, int[] rows, ReportOptions o) {
        List<String> withPrediction = new ArrayList<>(features);
        prediction.ifPresent(withPrediction::add);
        DriftReport features0;
        DriftReport pred = null;
        if (ref != null) {
            features0 = o.detector().compare(ref.features(), samples(analysis, features, rows));
            if (ref.prediction().isPresent()) {
                pred = o.detector().compare(ref.prediction().get(), samples(analysis, List.of(prediction.get()), rows));
            }
        } else {
            DatasetProfile cur = profile(analysis, withPrediction, rows);
            features0 = o.detector().compare(only(refProfile, features), only(cur, features));
            if (prediction.isPresent()) {
                pred = o.detector().compare(only(refProfile, List.of(prediction.get())), only(cur, List.of(prediction.get())));
            }
        }
        Optional<FeatureDrift> p = pred == null ? Optional.empty() : pred.feature(prediction.get());
        return new Comparison(features0, p);
    }

    private static FeatureSection section(String name, ReportReference reference, DatasetProfile refProfile, DatasetProfile curProfile,
                                          ReportData analysis, List<Window> windows, Comparison overall, List<Comparison> perWindow,
                                          SkewReport skew) {
        FeatureType type = analysis.type(name).orElseThrow();
        FeatureKind kind = FeatureKind.of(type);
        List<WindowDrift> drifts = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            drifts.add(new WindowDrift(windows.get(i).label(), find(perWindow.get(i), name)));
        }
        Optional<FeatureProfile> ref = refProfile.feature(name);
        FeatureProfile cur = curProfile.feature(name).orElseThrow();
        double curCount = Math.max(1, cur.count());
        List<Object> values = analysis.column(name);
        double outOfRange = Double.NaN;
        if (kind == FeatureKind.NUMERIC && ref.flatMap(FeatureProfile::numeric).filter(s -> s.count() > 0).isPresent()) {
            double lo = ref.get().numeric().get().min();
            double hi = ref.get().numeric().get().max();
            long n = 0;
            long out = 0;
            for (Object v : values) {
                if (v instanceof Number x && !Double.isNaN(x.doubleValue())) {
                    n++;
                    if (x.doubleValue() < lo || x.doubleValue() > hi) {
                        out++;
                    }
                }
            }
            outOfRange = n == 0 ? 0.0 : (double) out / n;
        }
        Quality q = new Quality(ref.map(FeatureProfile::nullRate).orElse(Double.NaN), cur.nullRate(), cur.invalidCount() / curCount, outOfRange);
        List<Object> refValues = reference instanceof ReportReference.Data d && d.data().type(name).isPresent() ? d.data().column(name) : null;
        MonitoringReport.Histogram h = kind == FeatureKind.NUMERIC
                ? Histograms.numeric(refValues, ref.filter(p -> p.kind() == FeatureKind.NUMERIC), values)
                : Histograms.categorical(refValues, ref, values);
        return new FeatureSection(name, kind, find(overall, name), drifts, h, q, skew.feature(name));
    }

    private static Optional<FeatureDrift> find(Comparison c, String name) {
        return c.features().feature(name).or(() -> c.prediction().filter(p -> p.feature().equals(name)));
    }

    private static Accuracy accuracy(List<ReportOutcome> outcomes, String source, List<Window> windows, ReportOptions o) {
        List<List<ReportOutcome>> byWindow = new ArrayList<>();
        windows.forEach(w -> byWindow.add(new ArrayList<>()));
        for (ReportOutcome r : outcomes) {
            int lo = 0;
            int hi = windows.size() - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                Window w = windows.get(mid);
                if (r.at().isBefore(w.start())) {
                    hi = mid - 1;
                } else if (r.at().isAfter(w.end())) {
                    lo = mid + 1;
                } else {
                    found = mid;
                    break;
                }
            }
            if (found >= 0) {
                byWindow.get(found).add(r);
            }
        }
        List<AccuracyPoint> points = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            List<ReportOutcome> g = byWindow.get(i);
            if (!g.isEmpty()) {
                points.add(new AccuracyPoint(windows.get(i).label(), g.size(), metrics(g, o)));
            }
        }
        Optional<Calibration> cal = Optional.empty();
        if (o.task() == Task.CLASSIFICATION && !outcomes.isEmpty()) {
            cal = Optional.of(Calibration.of(scores(outcomes), labels(outcomes), o.buckets()));
        }
        return new Accuracy(o.task(), source, outcomes.size(), points, cal);
    }

    private static Map<String, Double> metrics(List<ReportOutcome> g, ReportOptions o) {
        double[] s = scores(g);
        double[] y = labels(g);
        Map<String, Double> m = new LinkedHashMap<>();
        if (o.task() == Task.CLASSIFICATION) {
            m.put("auc", Metrics.auc(s, y));
            m.put("accuracy", Metrics.accuracy(s, y, o.threshold()));
        } else {
            m.put("mae", Metrics.mae(s, y));
            m.put("rmse", Metrics.rmse(s, y));
        }
        return m;
    }

    private static double[] scores(List<ReportOutcome> g) {
        return g.stream().mapToDouble(ReportOutcome::score).toArray();
    }

    private static double[] labels(List<ReportOutcome> g) {
        return g.stream().mapToDouble(ReportOutcome::label).toArray();
    }

    private static List<String> referenceColumns(ReportData ref, ReportOptions o) {
        return ref.columns().stream().filter(c -> !o.exclude().contains(c)).toList();
    }

    private static DatasetProfile without(DatasetProfile p, ReportOptions o) {
        return new DatasetProfile(p.rowCount(), p.features().stream().filter(f -> !o.exclude().contains(f.name())).toList());
    }

    private static DatasetProfile only(DatasetProfile p, List<String> names) {
        return new DatasetProfile(p.rowCount(), names.stream().map(p::feature).flatMap(Optional::stream).toList());
    }

    private static DatasetProfile profile(ReportData d, List<String> columns, int[] rows) {
        List<Field> fields = columns.stream().map(c -> Field.of(c, d.type(c).orElseThrow())).toList();
        ProfileAccumulator acc = ProfileAccumulator.forSchema(Schema.of(fields));
        List<List<Object>> cols = columns.stream().map(d::column).toList();
        Map<String, Object> row = new HashMap<>();
        for (int i : rows) {
            row.clear();
            for (int k = 0; k < columns.size(); k++) {
                row.put(columns.get(k), cols.get(k).get(i));
            }
            acc.add(row);
        }
        return acc.snapshot();
    }

    private static Samples samples(ReportData d, List<String> columns, int[] rows) {
        Samples.Builder b = Samples.builder();
        for (String c : columns) {
            Optional<FeatureType> t = d.type(c);
            if (t.isEmpty()) {
                continue;
            }
            List<Object> values = d.column(c);
            if (t.get().scalar().isNumeric()) {
                double[] x = new double[rows.length];
                for (int k = 0; k < rows.length; k++) {
                    x[k] = values.get(rows[k]) instanceof Number n ? n.doubleValue() : Double.NaN;
                }
                b.numeric(c, x);
            } else {
                List<String> x = new ArrayList<>(rows.length);
                for (int r : rows) {
                    Object v = values.get(r);
                    x.add(v == null ? null : v.toString());
                }
                b.categorical(c, x);
            }
        }
        return b.build();
    }
}
