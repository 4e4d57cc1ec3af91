package dev.ferry.quality;

import java.time.Instant;
import java.util.List;

/**
 * The results of one gate run over one or more targets. {@link #passed()} is what a pipeline asks
 * before training: no check failed, or every failure was explicitly allowed ({@link #overridden()}
 * then says the run passed only because of an override).
 */
public record QualityReport(Instant at, List<CheckResult> results, List<AllowedFailure> allowed) {

    public QualityReport {
        results = List.copyOf(results);
        allowed = List.copyOf(allowed);
    }

    public boolean passed() {
        return results.stream().noneMatch(CheckResult::blocking);
    }

    /** True when at least one failing check was let through by an {@link AllowedFailure}. */
    public boolean overridden() {
        return results.stream().anyMatch(CheckResult::overridden);
    }

    /** The failures that stop the gate. */
    public List<CheckResult> failures() {
        return results.stream().filter(CheckResult::blocking).toList();
    }

    public List<CheckResult> warnings() {
        return results.stream().filter(r -> r.status() == Status.WARN).toList();
    }
}
