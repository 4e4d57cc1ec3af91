package dev.ferry.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step as written in a pipeline: its id, its step type, the steps it needs, its parameters
 * (values may name {@code ${params.NAME}}, {@code ${foreach.KEY}} or {@code ${seed}}), the files
 * it reads (fingerprinted for the cache), a {@code foreach} matrix that fans it out into one step
 * per combination of values, and its retry policy.
 */
public record StepSpec(String id, String type, List<String> dependsOn, Map<String, Object> params, List<String> inputs,
                       Map<String, List<String>> foreach, RetryPolicy retry) {

    public StepSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        dependsOn = List.copyOf(dependsOn);
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        inputs = List.copyOf(inputs);
        Map<String, List<String>> f = new LinkedHashMap<>();
        foreach.forEach((k, v) -> f.put(k, List.copyOf(v)));
        foreach = java.util.Collections.unmodifiableMap(f);
        retry = retry == null ? RetryPolicy.NONE : retry;
    }

    public static Builder builder(String id, String type) {
        return new Builder(id, type);
    }

    /** Builds a {@link StepSpec}; everything but the id and type is optional. */
    public static final class Builder {
        private final String id;
        private final String type;
        private final List<String> dependsOn = new ArrayList<>();
        private final Map<String, Object> params = new LinkedHashMap<>();
        private final List<String> inputs = new ArrayList<>();
        private final Map<String, List<String>> foreach = new LinkedHashMap<>();
        private RetryPolicy retry = RetryPolicy.NONE;

        private Builder(String id, String type) {
            this.id = id;
            this.type = type;
        }

        public Builder dependsOn(String... steps) {
            dependsOn.addAll(List.of(steps));
            return this;
        }

        public Builder param(String name, Object value) {
            params.put(name, value);
            return this;
        }

        public Builder input(String path) {
            inputs.add(path);
            return this;
        }

        public Builder foreach(String key, String... values) {
            foreach.put(key, List.of(values));
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        public StepSpec build() {
            return new StepSpec(id, type, dependsOn, params, inputs, foreach, retry);
        }
    }
}
