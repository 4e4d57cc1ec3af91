package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.ValidationFailedException;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.quality.AllowedFailure;
import dev.ferry.quality.CheckResult;
import dev.ferry.quality.QualityChecks;
import dev.ferry.quality.QualityGate;
import dev.ferry.quality.QualityHistory;
import dev.ferry.quality.QualityReport;
import dev.ferry.quality.Target;
import dev.ferry.quality.TargetChecks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry check}: runs data quality checks standalone, prints one line per check and exits
 * with the validation-failed code when a check fails that was not explicitly allowed. Every run is
 * recorded in {@code <data-dir>/quality/history}; {@code --history} shows a metric across runs.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run data quality checks (quality.yaml) over feature view sources or files; exit 5 when one fails.")
final class CheckCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "CHECKS", description = "YAML files with a checks: list (e.g. quality.yaml).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}",
            description = "Ferry's data directory: the feature registry and the quality history (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--only", paramLabel = "NAME", description = "Run only these checks entries (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--file", paramLabel = "PATH",
            description = "Also check a .parquet or .csv file (e.g. a training set) for row count and schema against its history.")
    Path file;

    @Option(names = "--name", description = "History name of --file (default: the file name without extension).")
    String name;

    @Option(names = "--allow-failure", paramLabel = "CHECK",
            description = "Let this failing check through (check id, or target/check); recorded with --reason. Repeatable.")
    List<String> allowFailure = new ArrayList<>();

    @Option(names = "--reason", description = "Why the --allow-failure checks may fail this time (required with it).")
    String reason;

    @Option(names = "--history", paramLabel = "METRIC",
            description = "Show a metric over the recorded runs of --target instead of running: row_count, newest, nulls:COL, null_rate:COL, min:COL, max:COL.")
    String history;

    @Option(names = "--target", description = "The checks entry whose --history to show.")
    String target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        QualityHistory store = QualityHistory.inDataDir(dataDir);
        if (history != null) {
            if (target == null) {
                throw new InvalidInputException("--history " + history + " needs --target NAME: the checks entry whose runs to show");
            }
            printTrend(out, store, target, history);
            return 0;
        }
        List<AllowedFailure> allowed = allowed();
        FeatureRegistry registry = Wiring.features(dataDir);
        QualityReport report;
        try (OfflineStore offline = OfflineStore.open(registry)) {
            QualityChecks checks = checks(registry, offline);
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("checking").setStyle(ProgressBarStyle.ASCII)
                    .setInitialMax(checks.targets().size()).setUnit(" targets", 1).continuousUpdate().build()) {
                report = QualityGate.create(offline, registry, store).run(checks, allowed, t -> {
                    bar.setExtraMessage(t.name());
                    bar.step();
                });
            }
        }
        print(out, report);
        out.flush();
        if (!report.passed()) {
            throw new ValidationFailedException(report.failures().size() + " quality check" + (report.failures().size() == 1 ? "" : "s")
                    + " failed: " + report.failures().stream().map(CheckResult::id).toList());
        }
        return 0;
    }

    /** The checks to run: the files' entries (all validated, then narrowed by --only) plus --file. */
    private QualityChecks checks(FeatureRegistry registry, OfflineStore offline) {
        if (files.isEmpty() && file == null) {
            throw new InvalidInputException("nothing to check: give a checks YAML file (e.g. quality.yaml) or --file PATH");
        }
        QualityChecks checks = QualityChecks.load(files.toArray(Path[]::new)).requireValid(registry, offline);
        if (!only.isEmpty()) {
            checks = checks.only(only);
        }
        if (file != null) {
            String n = name != null ? name : file.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_]", "_");
            checks = checks.plus(TargetChecks.builder(n, Target.file(file)).build()).requireValid(registry, offline);
        }
        return checks;
    }

    private List<AllowedFailure> allowed() {
        if (!allowFailure.isEmpty() && (reason == null || reason.isBlank())) {
            throw new InvalidInputException("--allow-failure " + allowFailure + " was given without --reason; an override must say why");
        }
        if (allowFailure.isEmpty() && reason != null) {
            throw new InvalidInputException("--reason was given without --allow-failure; name the check it lets through");
        }
        return allowFailure.stream().map(c -> new AllowedFailure(c, reason)).toList();
    }

    static void print(PrintWriter out, QualityReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CHECK", "STATUS", "OBSERVED", "EXPECTED"});
        for (CheckResult r : report.results()) {
            rows.add(new String[] {r.id(), r.overridden() ? "fail (allowed)" : r.status().name().toLowerCase(java.util.Locale.ROOT),
                    r.observed(), r.expected()});
        }
        int[] w = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            out.printf("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %s%n", r[0], r[1], r[2], r[3]);
        }
        report.results().stream().filter(CheckResult::overridden)
                .forEach(r -> out.printf("allowed: %s (%s)%n", r.id(), r.allowedBecause().orElseThrow()));
        out.printf("%s: %d checks, %d failed, %d warned%s%n", report.passed() ? "passed" : "FAILED", report.results().size(),
                report.results().stream().filter(r -> r.status() == dev.ferry.quality.Status.FAIL).count(), report.warnings().size(),
                report.overridden() ? ", passed only because of an override" : "");
    }

    private static void printTrend(PrintWriter out, QualityHistory store, String target, String metric) {
        List<QualityHistory.Point> points = store.trend(target, metric);
        if (points.isEmpty()) {
            throw new dev.ferry.NotFoundException("no recorded quality runs of '" + target + "' in the history");
        }
        out.printf("%-28s %-16s %s%n", "RUN AT", metric.toUpperCase(java.util.Locale.ROOT), "RUN");
        for (QualityHistory.Point p : points) {
            out.printf("%-28s %-16s %s%n", p.at(), p.value().isPresent() ? format(p.value().getAsDouble()) : "-", p.passed() ? "passed" : "failed");
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.valueOf(v);
    }
}
