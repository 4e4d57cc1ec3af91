package dev.ferry.features;

import dev.ferry.InvalidInputException;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named group of typed features read from one source, keyed by entities and stamped with an
 * event time. Training sets join a view as of each entity row's time, no older than
 * {@link #maxAge()}; {@link #online()} says whether materialization copies it to the online store.
 * Build one with {@link #builder(String)} or load it from YAML through {@link FeatureRepository}.
 */
public record FeatureView(String name, List<String> entities, Schema schema, Source source,
                          String eventTimeColumn, Optional<String> createdTimeColumn,
                          Optional<Duration> maxAge, boolean online, Map<String, String> tags,
                          String description) {

    public FeatureView {
        Names.check("feature view", name);
        entities = List.copyOf(entities);
        if (entities.isEmpty()) {
            throw new InvalidInputException("feature view '" + name + "' has no entities; expected at least one");
        }
        if (schema == null || schema.size() == 0) {
            throw new InvalidInputException("feature view '" + name + "' has no features; expected at least one");
        }
        if (source == null) {
            throw new InvalidInputException("feature view '" + name + "' has no source");
        }
        if (eventTimeColumn == null || eventTimeColumn.isBlank()) {
            throw new InvalidInputException("feature view '" + name + "' has no event time column");
        }
        if (maxAge.isPresent() && (maxAge.get().isNegative() || maxAge.get().isZero())) {
            throw new InvalidInputException("feature view '" + name + "' max age was " + maxAge.get() + " but it must be positive");
        }
        tags = Map.copyOf(tags);
        description = description == null ? "" : description;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The schema that decides whether a change makes a new version: entities, features, time columns. */
    boolean sameShape(FeatureView other) {
        return entities.equals(other.entities) && schema.equals(other.schema)
                && eventTimeColumn.equals(other.eventTimeColumn) && createdTimeColumn.equals(other.createdTimeColumn);
    }

    /** Builds a {@link FeatureView}; every option can also be written in YAML. */
    public static final class Builder {
        private final String name;
        private final List<String> entities = new ArrayList<>();
        private final List<Field> features = new ArrayList<>();
        private Source source;
        private String eventTimeColumn = "event_timestamp";
        private String createdTimeColumn;
        private Duration maxAge;
        private boolean online = true;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private String description = "";

        private Builder(String name) {
            this.name = name;
        }

        public Builder entity(String entity) {
            entities.add(entity);
            return this;
        }

        public Builder feature(String feature, FeatureType type) {
            features.add(Field.of(feature, type));
            return this;
        }

        public Builder feature(String feature, String type) {
            return feature(feature, FeatureType.parse(type));
        }

        public Builder source(Source source) {
            this.source = source;
            return this;
        }

        public Builder eventTime(String column) {
            this.eventTimeColumn = column;
            return this;
        }

        public Builder createdTime(String column) {
            this.createdTimeColumn = column;
            return this;
        }

        public Builder maxAge(Duration maxAge) {
            this.maxAge = maxAge;
            return this;
        }

        public Builder online(boolean online) {
            this.online = online;
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public FeatureView build() {
            return new FeatureView(name, entities, Schema.of(features), source, eventTimeColumn,
                    Optional.ofNullable(createdTimeColumn), Optional.ofNullable(maxAge), online, tags, description);
        }
    }
}
