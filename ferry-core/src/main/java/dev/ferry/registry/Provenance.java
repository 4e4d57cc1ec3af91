package dev.ferry.registry;

import java.util.List;
import java.util.Map;

/**
 * Where a model version came from: what a reviewer needs to trust it and a pipeline needs to
 * reproduce it.
 *
 * @param trainingData the training data, or null when not recorded
 * @param features     the feature references it expects ({@code view:feature} or a feature service)
 * @param parameters   training parameters
 * @param seed         the random seed, or null when the trainer took none
 * @param metrics      evaluation metrics (e.g. {@code auc})
 * @param code         the code version
 * @param runId        the tracked run that produced it, or null
 */
public record Provenance(TrainingData trainingData, List<String> features, Map<String, String> parameters,
                         Long seed, Map<String, Double> metrics, CodeVersion code, String runId) {

    public Provenance {
        features = features == null ? List.of() : List.copyOf(features);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        code = code == null ? CodeVersion.UNKNOWN : code;
    }

    public static Provenance none() {
        return new Provenance(null, List.of(), Map.of(), null, Map.of(), CodeVersion.UNKNOWN, null);
    }
}
