package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.util.List;

/**
 * A named list of features a model consumes, so a training set and online lookups ask for the
 * same thing by one name. Use plain {@link FeatureRef} lists for one-off requests.
 */
public record FeatureService(String name, List<FeatureRef> features, String description) {

    public FeatureService {
        Names.check("feature service", name);
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new InvalidInputException("feature service '" + name + "' lists no features; expected view:feature or view entries");
        }
        description = description == null ? "" : description;
    }

    public static FeatureService of(String name, String... refs) {
        return new FeatureService(name, java.util.Arrays.stream(refs).map(FeatureRef::parse).toList(), "");
    }
}
