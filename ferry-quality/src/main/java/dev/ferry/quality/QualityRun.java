package dev.ferry.quality;

import java.time.Instant;
import java.util.List;

/**
 * One target's recorded run: when, what was read, the metrics measured, every check's result and
 * the overrides given. Stored as one JSON file per run by {@link QualityHistory}.
 */
public record QualityRun(String target, String source, Instant at, Metrics metrics, List<CheckResult> results,
                         List<AllowedFailure> allowed) {

    public QualityRun {
        results = List.copyOf(results);
        allowed = List.copyOf(allowed);
    }

    public boolean passed() {
        return results.stream().noneMatch(CheckResult::blocking);
    }
}
