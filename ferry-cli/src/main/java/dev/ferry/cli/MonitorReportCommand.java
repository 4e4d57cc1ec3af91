package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.monitoring.drift.DriftDetector;
import dev.ferry.monitoring.outcome.OutcomeStore;
import dev.ferry.monitoring.outcome.Task;
import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.profile.ProfileJson;
import dev.ferry.monitoring.report.HtmlReport;
import dev.ferry.monitoring.report.MonitoringReport;
import dev.ferry.monitoring.report.ReportBuilder;
import dev.ferry.monitoring.report.ReportData;
import dev.ferry.monitoring.report.ReportOptions;
import dev.ferry.monitoring.report.ReportOutcome;
import dev.ferry.monitoring.report.ReportReference;
import dev.ferry.monitoring.report.Windowing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry monitor report}: one self-contained HTML file comparing an analysis dataset, window
 * by window, with a reference dataset or a stored baseline profile (drift per feature and over
 * time, prediction and dataset drift, skew and data quality, accuracy and calibration once
 * outcomes are known).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML monitoring report: drift per feature and per time window, prediction and dataset drift,"
                + " skew and data quality, and accuracy over time with calibration when outcomes are given.")
final class MonitorReportCommand implements Callable<Integer> {

    @Mixin
    RegistryOptions registryOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--reference", paramLabel = "PATH", description = "Reference: a .csv/.parquet file, or a profile .json.")
    Path reference;

    @Option(names = "--model", paramLabel = "NAME", description = "Or the stored baseline profile of this model ...")
    String model;

    @Option(names = "--version", paramLabel = "N", description = "... at this version.")
    Integer version;

    @Option(names = "--analysis", required = true, paramLabel = "PATH", description = "The data to judge: a .csv or .parquet file with a timestamp column.")
    Path analysis;

    @Option(names = "--timestamp", defaultValue = "timestamp", paramLabel = "COLUMN",
            description = "The analysis data's time column (default: ${DEFAULT-VALUE}).")
    String timestamp;

    @Option(names = "--window", paramLabel = "LENGTH", description = "Window length: 1h, 1d, 7d, 1w or 'month' (default: 1d).")
    String window;

    @Option(names = "--chunks", paramLabel = "N", description = "Or N windows of equal row counts in time order.")
    Integer chunks;

    @Option(names = "--exclude", split = ",", paramLabel = "COLUMN", description = "Columns that are not features (ids, targets, keys).")
    List<String> exclude = List.of();

    @Option(names = "--prediction", paramLabel = "COLUMN", description = "The model output column, judged as prediction drift.")
    String prediction;

    @Mixin
    DriftOptions drift;

    @Option(names = "--target", paramLabel = "COLUMN",
            description = "Outcomes: the target column, in the analysis data or (with --targets) in the targets file.")
    String target;

    @Option(names = "--targets", paramLabel = "PATH", description = "A file of targets joined to the analysis rows on --id.")
    Path targets;

    @Option(names = "--id", paramLabel = "COLUMN", description = "The column joining --targets to the analysis rows.")
    String id;

    @Option(names = "--outcomes", description = "Outcomes: the joined outcomes stored in <data-dir>/outcomes by ferry monitor outcomes ingest.")
    boolean storedOutcomes;

    @Option(names = "--score", paramLabel = "FIELD",
            description = "The score judged against outcomes: a column of the analysis data, or the output field of stored outcomes"
                    + " (default: --prediction).")
    String score;

    @Option(names = "--task", defaultValue = "classification", description = "classification or regression (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--class-threshold", defaultValue = "0.5", description = "Scores at or above it are class 1 (default: ${DEFAULT-VALUE}).")
    double classThreshold;

    @Option(names = "--buckets", defaultValue = "10", description = "Calibration buckets (default: ${DEFAULT-VALUE}).")
    int buckets;

    @Option(names = "--max-null-rate-difference", defaultValue = "0.05", paramLabel = "RATE",
            description = "A missing-rate difference above it is skew (default: ${DEFAULT-VALUE}).")
    double maxNullRateDifference;

    @Option(names = "--title", description = "The report's heading (default: the analysis file's name).")
    String title;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "PATH", description = "Where to write the HTML report.")
    Path output;

    @Override
    public Integer call() {
        if ((reference == null) == (model == null)) {
            throw new InvalidInputException("give the reference either as --reference PATH or as --model NAME --version N, not both or neither");
        }
        if (model != null && version == null) {
            throw new InvalidInputException("--model " + model + " needs --version N");
        }
        if (window != null && chunks != null) {
            throw new InvalidInputException("--window " + window + " and --chunks " + chunks + " both cut the analysis period; give one");
        }
        if (targets != null && (id == null || target == null)) {
            throw new InvalidInputException("--targets " + targets + " needs --id COLUMN and --target COLUMN");
        }
        if (storedOutcomes && target != null) {
            throw new InvalidInputException("--outcomes reads stored outcomes and --target " + target + " reads a column; give one");
        }
        Task t = switch (task.trim().toLowerCase(Locale.ROOT)) {
            case "classification" -> Task.CLASSIFICATION;
            case "regression" -> Task.REGRESSION;
            default -> throw new InvalidInputException("--task was '" + task + "' but classification or regression is expected");
        };
        String scoreName = score != null ? score : prediction;
        if ((storedOutcomes || target != null) && scoreName == null) {
            throw new InvalidInputException("outcomes need the score they judge: give --score FIELD or --prediction COLUMN");
        }
        Windowing windowing = chunks != null ? new Windowing.Chunks(chunks) : Windowing.parse(window == null ? "1d" : window);
        DriftDetector.Builder b = drift.builder();
        Set<String> ex = new HashSet<>(exclude);
        if (target != null && targets == null) {
            ex.add(target);
        }
        ReportData current = read(analysis, Optional.of(timestamp));
        ReportReference ref = reference();
        ReportOptions o = new ReportOptions(title != null ? title : "Monitoring report: " + analysis.getFileName(), windowing, b.build(), ex,
                Optional.ofNullable(prediction), t, classThreshold, buckets, maxNullRateDifference);
        Optional<List<ReportOutcome>> outcomes = Optional.empty();
        String source = "";
        if (storedOutcomes) {
            outcomes = Optional.of(ReportOutcome.fromStore(OutcomeStore.inDataDir(registryOptions.dataDir, Clock.systemUTC()).readAll(), scoreName));
            source = "the outcome store in " + registryOptions.dataDir.resolve("outcomes");
        } else if (targets != null) {
            outcomes = Optional.of(ReportOutcome.joined(current, scoreName, read(targets, Optional.empty()), id, target));
            source = targets.getFileName() + " joined on " + id;
        } else if (target != null) {
            outcomes = Optional.of(ReportOutcome.fromColumns(current, scoreName, target));
            source = "column " + target + " of " + analysis.getFileName();
        }
        MonitoringReport r;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("compare windows").setStyle(ProgressBarStyle.ASCII).setInitialMax(-1)
                .setUnit(" windows", 1).continuousUpdate().build()) {
            r = ReportBuilder.build(ref, current, outcomes, source, o, bar::stepTo);
        }
        HtmlReport.write(r, output);
        print(r, spec.commandLine().getOut());
        return 0;
    }

    private ReportReference reference() {
        if (model != null) {
            return ReportReference.of(BaselineStore.in(registryOptions.dataDir).load(model, version),
                    "baseline of model " + model + " version " + version);
        }
        if (reference.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            return ReportReference.of(ProfileJson.readFile(reference), reference.getFileName().toString());
        }
        return ReportReference.of(read(reference, Optional.empty()));
    }

    private static ReportData read(Path file, Optional<String> timestampColumn) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("read " + file.getFileName()).setStyle(ProgressBarStyle.ASCII)
                .setInitialMax(-1).setUnit(" rows", 1).continuousUpdate().build()) {
            return ReportData.read(file, timestampColumn, bar::stepTo);
        }
    }

    private void print(MonitoringReport r, PrintWriter out) {
        out.printf("report written to %s (%d windows)%n", output, r.windows().size());
        out.printf("%d of %d features drifted%n", r.driftedFeatures().size(), r.features().size());
        for (MonitoringReport.FeatureSection f : r.features()) {
            f.firstDriftedWindow().ifPresent(w -> out.printf(Locale.ROOT, "  %-28s drifted in %d of %d windows, first in %s%s%n", f.name(),
                    f.driftedWindows(), f.perWindow().size(), w, f.overall().map(d -> d.drifted() ? "" : " (no drift over the whole period)").orElse("")));
        }
        r.prediction().ifPresent(p -> out.printf("prediction %s: %s%n", p.name(),
                p.firstDriftedWindow().map(w -> "drifted, first in " + w).orElse("no drift in any window")));
        r.accuracy().ifPresent(a -> out.printf("accuracy: %d outcomes over %d windows%n", a.outcomes(), a.perWindow().size()));
        out.flush();
    }
}
