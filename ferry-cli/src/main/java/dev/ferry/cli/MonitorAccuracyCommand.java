package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.alert.AlertEvaluator;
import dev.ferry.monitoring.alert.AlertEvent;
import dev.ferry.monitoring.alert.AlertNotifier;
import dev.ferry.monitoring.alert.AlertRule;
import dev.ferry.monitoring.alert.AlertRules;
import dev.ferry.monitoring.alert.LogAlertNotifier;
import dev.ferry.monitoring.alert.WebhookAlertNotifier;
import dev.ferry.monitoring.outcome.AccuracyAnalysis;
import dev.ferry.monitoring.outcome.AccuracyOptions;
import dev.ferry.monitoring.outcome.AccuracyRow;
import dev.ferry.monitoring.outcome.AccuracyScores;
import dev.ferry.monitoring.outcome.ArmComparison;
import dev.ferry.monitoring.outcome.Calibration;
import dev.ferry.monitoring.outcome.JoinedOutcome;
import dev.ferry.monitoring.outcome.OutcomeStore;
import dev.ferry.monitoring.outcome.Task;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry monitor accuracy}: accuracy over time from the stored outcomes, per window,
 * deployment, model version and arm (and segment), with calibration, an arm comparison, and alert
 * rules replayed window by window.
 */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = "Accuracy over time from stored outcomes: per window, deployment, version and arm; optional segments,"
                + " calibration, arm comparison and alert rules.")
final class MonitorAccuracyCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}",
            description = "Ferry's data directory; outcomes are read from <data-dir>/outcomes (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--score", required = true,
            description = "Output field with the score: the positive class's probability (a number or [p0, p1]) or the predicted value.")
    String score;

    @Option(names = "--task", defaultValue = "classification", description = "classification or regression (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--window", defaultValue = "1d", description = "Window length: 1h, 1d, 7d (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Scores at or above it are class 1 (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--segment", description = "A feature (or entity key) whose values split the metrics, e.g. country.")
    String segment;

    @Option(names = "--buckets", defaultValue = "10", description = "Calibration buckets (default: ${DEFAULT-VALUE}).")
    int buckets;

    @Option(names = "--deployment", description = "Only this deployment.")
    String deployment;

    @Option(names = "--calibration", description = "Print the calibration buckets of every row.")
    boolean calibration;

    @Option(names = "--compare", split = ",", paramLabel = "ARM_A,ARM_B",
            description = "Compare two arms of --deployment over all stored outcomes (difference B - A, 95% interval, p-value).")
    List<String> compare;

    @Option(names = "--rules", description = "Alert rules (YAML) judged window by window over the scores accuracy, auc, log_loss, ece,"
            + " mae, rmse{deployment,version,arm}.")
    Path rules;

    @Option(names = "--webhook", description = "Send alert events as JSON to this URL as well as to the log.")
    URI webhook;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Task t = switch (task.trim().toLowerCase(Locale.ROOT)) {
            case "classification" -> Task.CLASSIFICATION;
            case "regression" -> Task.REGRESSION;
            default -> throw new InvalidInputException("--task was '" + task + "' but classification or regression is expected");
        };
        AccuracyOptions options = new AccuracyOptions(t, score, threshold, MonitorOutcomesCommand.duration("--window", window),
                Optional.ofNullable(segment), buckets);
        if (compare != null && (compare.size() != 2 || deployment == null)) {
            throw new InvalidInputException("--compare was " + compare + " but two arms A,B and --deployment are expected");
        }
        List<JoinedOutcome> outcomes = OutcomeStore.inDataDir(dataDir, Clock.systemUTC()).readAll().stream()
                .filter(j -> deployment == null || j.prediction().deployment().equals(deployment)).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (outcomes.isEmpty()) {
            out.println("no stored outcomes" + (deployment == null ? "" : " for deployment " + deployment)
                    + " in " + dataDir.resolve("outcomes") + "; run ferry monitor outcomes ingest first");
            return 0;
        }
        List<AccuracyRow> rows = AccuracyAnalysis.compute(outcomes, options);
        print(out, rows, t);
        if (compare != null) {
            out.printf("%n%s vs %s on %s (difference = %s - %s, 95%% interval):%n", compare.get(0), compare.get(1), deployment,
                    compare.get(1), compare.get(0));
            for (ArmComparison.Difference d : ArmComparison.compare(outcomes, deployment, compare.get(0), compare.get(1), options, 0.95)) {
                out.printf(Locale.ROOT, "  %-9s %.4f (n=%d) vs %.4f (n=%d): %+.4f [%+.4f, %+.4f] p=%.4g%n", d.metric(), d.a(), d.countA(),
                        d.b(), d.countB(), d.difference(), d.lower(), d.upper(), d.pValue());
            }
        }
        if (rules != null) {
            replay(out, rows, options.window());
        }
        return 0;
    }

    private void print(PrintWriter out, List<AccuracyRow> rows, Task t) {
        List<String> names = t == Task.CLASSIFICATION ? List.of("auc", "accuracy", "log_loss", "ece", "positive_rate") : List.of("mae", "rmse");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-20s %-16s %-7s %-10s", "window", "deployment", "version", "arm"));
        if (segment != null) {
            head.append(String.format(Locale.ROOT, " %-12s", segment));
        }
        head.append(String.format(Locale.ROOT, " %8s", "n"));
        names.forEach(n -> head.append(String.format(Locale.ROOT, " %13s", n)));
        out.println(head);
        for (AccuracyRow r : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s %-16s %-7d %-10s", r.windowStart(), r.deployment(),
                    r.version(), r.arm()));
            r.segment().ifPresent(s -> line.append(String.format(Locale.ROOT, " %-12s", s)));
            line.append(String.format(Locale.ROOT, " %8d", r.count()));
            names.forEach(n -> line.append(String.format(Locale.ROOT, " %13.4f", r.metrics().get(n))));
            out.println(line);
            if (calibration && r.calibration().isPresent()) {
                Calibration c = r.calibration().get();
                for (Calibration.Bucket b : c.buckets()) {
                    if (b.count() > 0) {
                        out.printf(Locale.ROOT, "    [%.2f, %.2f) n=%d predicted %.4f observed %.4f%n", b.lower(), b.upper(), b.count(),
                                b.meanPredicted(), b.observedRate());
                    }
                }
            }
        }
    }

    /** Judges the rules at the end of each window in turn, so "for: 2h" over hourly windows means two bad windows after the first. */
    private void replay(PrintWriter out, List<AccuracyRow> rows, Duration window) {
        ReplayClock clock = new ReplayClock();
        List<AlertRule> loaded = AlertRules.load(rules);
        List<AlertNotifier> notifiers = new ArrayList<>();
        notifiers.add(new LogAlertNotifier());
        if (webhook != null) {
            notifiers.add(new WebhookAlertNotifier(webhook, Duration.ofSeconds(10)));
        }
        List<AlertEvent> events = new ArrayList<>();
        notifiers.add(events::add);
        AlertEvaluator evaluator = new AlertEvaluator(loaded, clock, notifiers, new SimpleMeterRegistry());
        Map<Instant, List<AccuracyRow>> byWindow = new TreeMap<>();
        rows.forEach(r -> byWindow.computeIfAbsent(r.windowStart(), w -> new ArrayList<>()).add(r));
        byWindow.forEach((start, inWindow) -> {
            clock.now = start.plus(window);
            // only this window's scores: a group without outcomes in a window has no score there
            evaluator.evaluate(AccuracyScores.of(inWindow));
        });
        out.printf("%nalerts (%d rules replayed over %d windows):%n", loaded.size(), byWindow.size());
        if (events.isEmpty()) {
            out.println("  none");
        }
        events.forEach(e -> out.println("  " + e.at() + " " + e.message()));
    }

    /** The end of the window being replayed. */
    private static final class ReplayClock extends Clock {
        Instant now = Instant.EPOCH;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
