package dev.ferry.cli;

import dev.ferry.monitoring.drift.DriftDetector;
import dev.ferry.monitoring.drift.DriftMethod;
import java.util.Map;
import picocli.CommandLine.Option;

/** The drift test options {@code ferry monitor drift} and {@code ferry monitor report} share (a picocli mixin). */
final class DriftOptions {

    @Option(names = "--method", paramLabel = "FEATURE=METHOD",
            description = "Method for a feature: ks, chisquare, z, psi, jensenshannon, wasserstein; FEATURE '*' sets the default.")
    Map<String, String> methods = Map.of();

    @Option(names = "--threshold", paramLabel = "FEATURE=VALUE", description = "Drift threshold for a feature.")
    Map<String, Double> thresholds = Map.of();

    @Option(names = "--share", paramLabel = "SHARE", defaultValue = "0.5",
            description = "Share of drifted features at which the dataset drifted (default: ${DEFAULT-VALUE}).")
    double share;

    /** A detector builder with these methods, thresholds and dataset share (Evidently's defaults elsewhere). */
    DriftDetector.Builder builder() {
        DriftDetector.Builder b = DriftDetector.builder().datasetShare(share);
        methods.forEach((f, m) -> {
            if (f.equals("*")) {
                b.defaultMethod(DriftMethod.parse(m));
            } else {
                b.method(f, DriftMethod.parse(m));
            }
        });
        thresholds.forEach(b::threshold);
        return b;
    }
}
