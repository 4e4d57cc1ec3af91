package dev.ferry.quality;

import dev.ferry.InvalidInputException;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.OfflineStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Runs data quality checks and records every run, so a pipeline can stop before training on bad
 * data: {@code QualityGate.create(store, registry, QualityHistory.inDataDir(dataDir)).run(checks, List.of())}
 * returns a {@link QualityReport} whose {@link QualityReport#passed()} says whether to go on. Each
 * target is read in one DuckDB scan through the given {@link OfflineStore}; its results and
 * metrics are appended to the {@link QualityHistory} that later runs compare with.
 */
public final class QualityGate {

    private final OfflineStore store;
    private final FeatureRegistry registry;
    private final QualityHistory history;
    private final Clock clock;

    private QualityGate(OfflineStore store, FeatureRegistry registry, QualityHistory history, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static QualityGate create(OfflineStore store, FeatureRegistry registry, QualityHistory history) {
        return new QualityGate(store, registry, history, Clock.systemUTC());
    }

    /** With an injected clock: freshness is measured against it and runs are stamped with it. */
    public static QualityGate create(OfflineStore store, FeatureRegistry registry, QualityHistory history, Clock clock) {
        return new QualityGate(store, registry, history, clock);
    }

    public QualityHistory history() {
        return history;
    }

    /** Runs every target of {@code checks}; failures named in {@code allowed} are let through and recorded. */
    public QualityReport run(QualityChecks checks, List<AllowedFailure> allowed) {
        return run(checks, allowed, t -> { });
    }

    /** Like {@link #run(QualityChecks, List)}, telling {@code onTarget} before each target is read (for progress). */
    public QualityReport run(QualityChecks checks, List<AllowedFailure> allowed, Consumer<TargetChecks> onTarget) {
        checks.requireLoaded();
        requireKnown(checks.targets(), allowed);
        Instant at = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<CheckResult> results = new ArrayList<>();
        TableScan scan = new TableScan(store, registry);
        for (TargetChecks t : checks.targets()) {
            onTarget.accept(t);
            results.addAll(runOne(scan, t, allowed, at).results());
        }
        return new QualityReport(at, results, allowed);
    }

    /** Runs the checks of one target. */
    public QualityReport run(TargetChecks target, List<AllowedFailure> allowed) {
        return run(QualityChecks.of(target), allowed);
    }

    private QualityRun runOne(TableScan scan, TargetChecks t, List<AllowedFailure> allowed, Instant at) {
        TableScan.Shape shape = scan.shape(t.target());
        TableScan.Result result = scan.scan(t, shape);
        List<CheckResult> results = new ArrayList<>();
        for (CheckResult r : new Evaluator(t, result, history.runs(t.name()), at).evaluate()) {
            Optional<String> reason = r.status() == Status.FAIL
                    ? allowed.stream().filter(a -> a.matches(t.name(), r.check())).map(AllowedFailure::reason).findFirst()
                    : Optional.empty();
            results.add(new CheckResult(r.target(), r.check(), r.status(), r.observed(), r.expected(), reason));
        }
        List<AllowedFailure> mine = allowed.stream().filter(a -> t.checkIds().stream().anyMatch(id -> a.matches(t.name(), id))).toList();
        QualityRun run = new QualityRun(t.name(), shape.source(), at, result.metrics(), results, mine);
        history.record(run);
        return run;
    }

    private static void requireKnown(List<TargetChecks> targets, List<AllowedFailure> allowed) {
        TreeSet<String> ids = new TreeSet<>();
        targets.forEach(t -> t.checkIds().forEach(id -> ids.add(t.name() + "/" + id)));
        for (AllowedFailure a : allowed) {
            boolean known = targets.stream().anyMatch(t -> t.checkIds().stream().anyMatch(id -> a.matches(t.name(), id)));
            if (!known) {
                throw new InvalidInputException("allowed failure '" + a.check() + "' names no check of this run; checks: " + ids);
            }
        }
    }
}
