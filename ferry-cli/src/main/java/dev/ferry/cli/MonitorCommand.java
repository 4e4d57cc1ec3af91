package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import dev.ferry.monitoring.drift.DriftDetector;
import dev.ferry.monitoring.drift.DriftReport;
import dev.ferry.monitoring.drift.FeatureDrift;
import dev.ferry.monitoring.outcome.LoggedPrediction;
import dev.ferry.monitoring.outcome.PredictionLogReader;
import dev.ferry.monitoring.profile.BaselineStore;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.FeatureProfile;
import dev.ferry.monitoring.profile.FileProfiler;
import dev.ferry.monitoring.profile.ProfileJson;
import dev.ferry.monitoring.skew.FeatureSkew;
import dev.ferry.monitoring.skew.SchemaIssue;
import dev.ferry.monitoring.skew.ServedValueSkew;
import dev.ferry.monitoring.skew.SkewChecker;
import dev.ferry.monitoring.skew.SkewReport;
import dev.ferry.monitoring.skew.ValueSkew;
import dev.ferry.registry.ModelRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry monitor}: dataset profiles as model baselines, drift of current data against them,
 * training/serving skew, and accuracy once outcomes arrive.
 */
@Command(name = "monitor", description = "Profile datasets, keep a model version's baseline, measure drift and training/serving skew; "
        + "ingest outcomes and compute accuracy over time.",
        mixinStandardHelpOptions = true, subcommands = {MonitorCommand.Profile.class, MonitorCommand.Drift.class, MonitorCommand.Skew.class,
                MonitorOutcomesCommand.class, MonitorAccuracyCommand.class, MonitorReportCommand.class})
final class MonitorCommand {

    /** Profiles a file (a profile .json is read as is) with a progress bar. */
    static DatasetProfile profileOf(Path file, Set<String> exclude) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            return ProfileJson.readFile(file);
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("profile " + file.getFileName()).setStyle(ProgressBarStyle.ASCII)
                .setInitialMax(-1).setUnit(" rows", 1).continuousUpdate().build()) {
            return FileProfiler.profile(file, exclude, bar::stepTo);
        }
    }

    @Command(name = "profile", mixinStandardHelpOptions = true,
            description = "Profile a Parquet or CSV file (a training set, a source, a Parquet prediction log); "
                    + "with --model and --version, store it as that version's baseline.")
    static final class Profile implements Callable<Integer> {
        @Mixin
        RegistryOptions registryOptions;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "A .parquet, .csv, .csv.gz or .tsv file.")
        Path file;

        @Option(names = "--exclude", split = ",", paramLabel = "COLUMN", description = "Columns to leave out (keys, ids, labels).")
        List<String> exclude = List.of();

        @Option(names = "--output", paramLabel = "PATH", description = "Also write the profile JSON here.")
        Path output;

        @Option(names = "--model", paramLabel = "NAME", description = "Store the profile as the baseline of this model ...")
        String model;

        @Option(names = "--version", paramLabel = "N", description = "... at this version (it must exist in the registry).")
        Integer version;

        @Option(names = "--replace", description = "Replace the version's existing baseline.")
        boolean replace;

        @Override
        public Integer call() {
            if ((model == null) != (version == null)) {
                throw new InvalidInputException("--model and --version go together: got --model " + model + " and --version " + version);
            }
            if (model != null) {
                try (ModelRegistry registry = registryOptions.open()) {
                    registry.version(model, version);
                }
            }
            DatasetProfile p = profileOf(file, new HashSet<>(exclude));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-28s %-10s %10s %8s %10s %14s %14s%n", "FEATURE", "TYPE", "COUNT", "NULLS", "DISTINCT", "MEAN", "P50/TOP");
            for (FeatureProfile f : p.features()) {
                String mean = f.numeric().map(s -> String.format(Locale.ROOT, "%.6g", s.mean())).orElse("-");
                String p50 = f.numeric().filter(s -> s.count() > 0).map(s -> String.format(Locale.ROOT, "%.6g", f.quantile(0.5)))
                        .orElse(f.frequentValues().keySet().stream().findFirst().orElse("-"));
                out.printf(Locale.ROOT, "%-28s %-10s %10d %7.2f%% %10d %14s %14s%n", f.name(), f.type(), f.count(), 100 * f.nullRate(),
                        f.distinctCount(), mean, p50);
            }
            if (output != null) {
                ProfileJson.writeFile(p, output);
                out.println("profile written to " + output);
            }
            if (model != null) {
                Path stored = BaselineStore.in(registryOptions.dataDir).save(model, version, p, replace);
                out.println("baseline of " + model + " version " + version + " stored at " + stored);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "drift", mixinStandardHelpOptions = true,
            description = "Compare current data with a baseline, feature by feature (Evidently's default methods unless set).")
    static final class Drift implements Callable<Integer> {
        @Mixin
        RegistryOptions registryOptions;

        @Spec
        CommandSpec spec;

        @Option(names = "--baseline", paramLabel = "PATH", description = "Baseline: a profile .json or a data file.")
        Path baseline;

        @Option(names = "--model", paramLabel = "NAME", description = "Or the stored baseline of this model ...")
        String model;

        @Option(names = "--version", paramLabel = "N", description = "... at this version.")
        Integer version;

        @Option(names = "--current", required = true, paramLabel = "PATH", description = "Current window: a profile .json or a data file.")
        Path current;

        @Option(names = "--exclude", split = ",", paramLabel = "COLUMN", description = "Columns of data files to leave out.")
        List<String> exclude = List.of();

        @Mixin
        DriftOptions drift;

        @Option(names = "--prediction", paramLabel = "COLUMN", description = "The model output column (prediction drift).")
        String prediction;

        @Override
        public Integer call() {
            if ((baseline == null) == (model == null)) {
                throw new InvalidInputException("give the baseline either as --baseline PATH or as --model NAME --version N, not both or neither");
            }
            if (model != null && version == null) {
                throw new InvalidInputException("--model " + model + " needs --version N");
            }
            DriftDetector.Builder b = drift.builder();
            if (prediction != null) {
                b.predictionColumn(prediction);
            }
            Set<String> ex = new HashSet<>(exclude);
            DatasetProfile base = model != null ? BaselineStore.in(registryOptions.dataDir).load(model, version) : profileOf(baseline, ex);
            DatasetProfile cur = profileOf(current, ex);
            print(b.build().compare(base, cur), spec.commandLine().getOut());
            return 0;
        }

        static void print(DriftReport r, PrintWriter out) {
            out.printf("%-28s %-14s %14s %10s %8s %10s %10s%n", "FEATURE", "METHOD", "STATISTIC", "THRESHOLD", "DRIFTED", "BASELINE", "CURRENT");
            for (FeatureDrift f : r.features()) {
                row(out, f);
            }
            r.prediction().ifPresent(p -> {
                out.println("prediction:");
                row(out, p);
            });
            for (String s : r.skipped()) {
                out.println("skipped " + s + " (on one side only, without values, or of another kind)");
            }
            out.printf(Locale.ROOT, "dataset drift: %s (%d of %d features drifted, %.1f%%; threshold %.1f%%)%n",
                    r.datasetDrifted() ? "YES" : "no", r.driftedCount(), r.features().size(), 100 * r.driftedShare(),
                    100 * r.datasetThreshold());
            out.flush();
        }

        private static void row(PrintWriter out, FeatureDrift f) {
            out.printf(Locale.ROOT, "%-28s %-14s %14.6g %10.4g %8s %10d %10d%n", f.feature(), f.method().id(), f.statistic(),
                    f.threshold(), f.drifted() ? "YES" : "no", f.referenceCount(), f.currentCount());
        }
    }
    @Command(name = "skew", mixinStandardHelpOptions = true,
            description = "Compare what a model was served (its prediction log) with its training data: schema, types, "
                    + "missing rates, distributions, and with --values the served values against the offline store's.")
    static final class Skew implements Callable<Integer> {
        @Mixin
        RegistryOptions registryOptions;

        @Spec
        CommandSpec spec;

        @Option(names = "--log", required = true, paramLabel = "PATH",
                description = "Prediction log: a directory or file of .jsonl (JSON Lines sink) or .parquet (Parquet sink).")
        Path log;

        @Option(names = "--training", paramLabel = "PATH", description = "Training data: a profile .json or a data file.")
        Path training;

        @Option(names = "--model", paramLabel = "NAME", description = "Or the stored baseline of this model ...")
        String model;

        @Option(names = "--version", paramLabel = "N", description = "... at this version.")
        Integer version;

        @Option(names = "--exclude", split = ",", paramLabel = "COLUMN", description = "Columns of a training data file to leave out.")
        List<String> exclude = List.of();

        @Option(names = "--max-null-rate-difference", paramLabel = "RATE", defaultValue = "0.05",
                description = "Allowed absolute difference of missing rates (default: ${DEFAULT-VALUE}).")
        double maxNullRateDifference;

        @Option(names = "--values", split = ",", paramLabel = "VIEW:FEATURE",
                description = "Also compare these served values with the offline store's as of each prediction's time.")
        List<String> values = List.of();

        @Option(names = "--tolerance", paramLabel = "ABS", defaultValue = "1e-6",
                description = "Absolute tolerance for numbers in --values (default: ${DEFAULT-VALUE}).")
        double tolerance;

        @Option(names = "--relative-tolerance", paramLabel = "REL", defaultValue = "0",
                description = "Relative tolerance for numbers in --values (default: ${DEFAULT-VALUE}).")
        double relativeTolerance;

        @Override
        public Integer call() {
            if ((training == null) == (model == null)) {
                throw new InvalidInputException("give the training data either as --training PATH or as --model NAME --version N, not both or neither");
            }
            if (model != null && version == null) {
                throw new InvalidInputException("--model " + model + " needs --version N");
            }
            List<LoggedPrediction> logged = PredictionLogReader.served(log);
            DatasetProfile train = model != null ? BaselineStore.in(registryOptions.dataDir).load(model, version)
                    : profileOf(training, new HashSet<>(exclude));
            SkewReport report = new SkewChecker(DriftDetector.defaults(), maxNullRateDifference)
                    .compare(train, SkewChecker.servedProfile(logged));
            PrintWriter out = spec.commandLine().getOut();
            out.println(logged.size() + " served prediction(s) read from " + log);
            for (SchemaIssue i : report.schemaIssues()) {
                out.println(i.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + i.message());
            }
            out.printf("%-28s %9s %9s %9s %-14s %12s %8s%n", "FEATURE", "TRAIN-NA", "SERVED-NA", "INVALID", "METHOD", "STATISTIC", "SKEWED");
            for (FeatureSkew f : report.features()) {
                out.printf(Locale.ROOT, "%-28s %8.2f%% %8.2f%% %8.2f%% %-14s %12s %8s%n", f.feature(), 100 * f.trainingNullRate(),
                        100 * f.servedNullRate(), 100 * f.servedInvalidRate(),
                        f.distribution().map(d -> d.method().id()).orElse("-"),
                        f.distribution().map(d -> String.format(Locale.ROOT, "%.6g", d.statistic())).orElse("-"),
                        f.skewed() ? "YES" : "no");
            }
            if (!values.isEmpty()) {
                ServedValueSkew check = new ServedValueSkew(values, tolerance, relativeTolerance);
                FeatureRegistry features = Wiring.features(registryOptions.dataDir);
                try (OfflineStore store = OfflineStore.open(features)) {
                    out.printf("%-28s %10s %10s %9s %14s %15s%n", "SERVED VALUE", "COMPARED", "MISMATCH", "RATE", "MISSING-SERVED", "MISSING-OFFLINE");
                    for (ValueSkew v : check.check(store, logged, Path.of(System.getProperty("java.io.tmpdir")))) {
                        out.printf(Locale.ROOT, "%-28s %10d %10d %8.2f%% %14d %15d%n", v.feature(), v.compared(), v.mismatches(),
                                100 * v.mismatchRate(), v.missingServed(), v.missingOffline());
                        v.examples().forEach(e -> out.println("  " + e));
                    }
                }
            }
            out.println("skew: " + (report.skewed() ? "YES" : "no"));
            out.flush();
            return 0;
        }
    }
}
