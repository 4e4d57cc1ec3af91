package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What to build: entity rows, the features to join (references or a service name), and where
 * to write the result. Feature columns are named {@code view__feature} unless
 * {@code fullFeatureNames} is off, in which case the bare feature names must not collide.
 */
public record TrainingSetRequest(EntityRows entities, List<FeatureRef> features, Optional<String> service,
                                 Path output, OutputFormat format, boolean fullFeatureNames) {

    public TrainingSetRequest {
        features = List.copyOf(features);
        if (entities == null) {
            throw new InvalidInputException("training set request has no entity rows");
        }
        if (features.isEmpty() == service.isEmpty()) {
            throw new InvalidInputException("training set request needs either feature references or a service name (not both)");
        }
        if (output == null) {
            throw new InvalidInputException("training set request has no output file");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TrainingSetRequest}. */
    public static final class Builder {
        private EntityRows entities;
        private final List<FeatureRef> features = new ArrayList<>();
        private String service;
        private Path output;
        private OutputFormat format;
        private boolean fullFeatureNames = true;

        private Builder() {
        }

        public Builder entities(EntityRows entities) {
            this.entities = entities;
            return this;
        }

        /** {@code view:feature}, {@code view} or {@code view@2:feature}. */
        public Builder features(String... refs) {
            for (String r : refs) {
                features.add(FeatureRef.parse(r));
            }
            return this;
        }

        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public Builder output(Path output) {
            this.output = output;
            return this;
        }

        public Builder format(OutputFormat format) {
            this.format = format;
            return this;
        }

        public Builder fullFeatureNames(boolean on) {
            this.fullFeatureNames = on;
            return this;
        }

        public TrainingSetRequest build() {
            return new TrainingSetRequest(entities, features, Optional.ofNullable(service), output,
                    format != null ? format : OutputFormat.of(output), fullFeatureNames);
        }
    }
}
