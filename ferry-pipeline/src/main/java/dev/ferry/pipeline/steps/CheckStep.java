package dev.ferry.pipeline.steps;

import dev.ferry.ValidationFailedException;
import dev.ferry.features.CsvSource;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.ParquetSource;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import dev.ferry.quality.AllowedFailure;
import dev.ferry.quality.CheckResult;
import dev.ferry.quality.QualityChecks;
import dev.ferry.quality.QualityGate;
import dev.ferry.quality.QualityHistory;
import dev.ferry.quality.QualityReport;
import dev.ferry.quality.Status;
import dev.ferry.quality.Target;
import dev.ferry.quality.TargetChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code check}: the data quality gate. Applies the feature repository ({@code repository}) so
 * the checks can name its views, runs the checks of {@code checks} (a quality.yaml, as
 * {@code ferry check} reads) and fails the step, and so the run, when a check fails: a pipeline
 * never trains on stale or broken data. {@code allow} lets named failing checks through, each as
 * {@code "CHECK: reason"} (colon and space); the override is recorded with the quality run and in the step's values.
 * The results go to the quality history in the data directory, so trends show across runs.
 */
public final class CheckStep implements StepType {

    @Override
    public String name() {
        return "check";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Set<String> requiredParams() {
        return Set.of("repository", "checks");
    }

    @Override
    public List<Path> inputFiles(StepContext context) {
        List<Path> files = new ArrayList<>();
        files.add(existing(context, "repository"));
        Path checks = existing(context, "checks");
        files.add(checks);
        for (FeatureView v : FeatureRepository.load(context.path("repository")).views()) {
            if (v.source() instanceof CsvSource c) {
                files.add(c.path());
            } else if (v.source() instanceof ParquetSource p) {
                files.add(p.path());
            }
        }
        for (TargetChecks t : QualityChecks.load(checks).targets()) {
            if (t.target() instanceof Target.File f && Files.isRegularFile(f.path())) {
                files.add(f.path());
            }
        }
        return files;
    }

    private static Path existing(StepContext context, String param) {
        Path p = context.path(param);
        if (!Files.exists(p)) {
            throw context.invalid(param, context.string(param), "an existing file or directory (resolved to " + p + ")");
        }
        return p;
    }

    @Override
    public StepResult run(StepContext context) {
        FeatureRegistry registry = context.environment().features();
        registry.apply(FeatureRepository.load(context.path("repository")));
        List<AllowedFailure> allowed = new ArrayList<>();
        for (String a : context.list("allow")) {
            // check ids contain ':' themselves (unique:loan_id), so the reason starts after ": "
            int colon = a.indexOf(": ");
            if (colon <= 0 || a.substring(colon + 2).isBlank()) {
                throw context.invalid("allow", a, "\"CHECK: reason\" (an override must say why)");
            }
            allowed.add(new AllowedFailure(a.substring(0, colon).trim(), a.substring(colon + 2).trim()));
        }
        QualityReport report;
        try (OfflineStore offline = OfflineStore.open(registry)) {
            QualityChecks checks = QualityChecks.load(context.path("checks")).requireValid(registry, offline);
            report = QualityGate.create(offline, registry, QualityHistory.inDataDir(context.environment().dataDir()),
                    context.environment().clock()).run(checks, allowed);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (CheckResult r : report.results()) {
            String status = r.overridden() ? "fail (allowed)" : r.status().name().toLowerCase(java.util.Locale.ROOT);
            context.log().printf("%-48s %-14s %s (expected %s)%n", r.id(), status, r.observed(), r.expected());
            if (r.status() != Status.PASS) {
                values.put("check." + r.id(), status + ": " + r.observed());
            }
        }
        report.results().stream().filter(CheckResult::overridden)
                .forEach(r -> values.put("allowed." + r.id(), r.allowedBecause().orElse("")));
        if (!report.passed()) {
            throw new ValidationFailedException(report.failures().size() + " data quality check(s) failed, so the pipeline stops before"
                    + " training: " + report.failures().stream().map(r -> r.id() + " observed " + r.observed() + ", expected " + r.expected())
                    .toList());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("checks", (double) report.results().size());
        metrics.put("warnings", (double) report.warnings().size());
        metrics.put("allowed_failures", (double) report.results().stream().filter(CheckResult::overridden).count());
        return StepResult.of(metrics, values);
    }
}
