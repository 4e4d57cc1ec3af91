package dev.ferry.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline: a named, versioned DAG of steps with its parameters and the seed every random
 * source in it is drawn from. Read one from YAML with {@link PipelineYaml}, or build one with
 * {@link #builder}; both give the same object and are checked by the same {@link PipelineValidator}.
 *
 * @param name       pipeline name
 * @param version    the pipeline's own version, recorded with every run
 * @param seed       the seed of every step that takes none of its own
 * @param params     default parameter values; a run may override them
 * @param steps      the steps in the order written
 * @param origin     where it was defined (a file path, or {@code builder})
 * @param baseDir    the directory relative paths in step parameters and inputs are resolved against
 * @param definition the definition's text (YAML as written, or JSON for a built pipeline), kept
 *                   in every run record so {@code reproduce} re-runs exactly what ran
 */
public record Pipeline(String name, String version, long seed, Map<String, String> params, List<StepSpec> steps,
                       String origin, Path baseDir, String definition) {

    public Pipeline {
        Objects.requireNonNull(name, "name");
        version = version == null ? "1" : version;
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        steps = List.copyOf(steps);
        baseDir = baseDir.toAbsolutePath().normalize();
    }

    /** This pipeline with some parameters replaced (a run's {@code --param k=v}). */
    public Pipeline withParams(Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.putAll(overrides);
        return new Pipeline(name, version, seed, p, steps, origin, baseDir, definition);
    }

    /** This pipeline with another seed. */
    public Pipeline withSeed(long newSeed) {
        return new Pipeline(name, version, newSeed, params, steps, origin, baseDir, definition);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a pipeline in code; {@link #build()} validates it structurally. */
    public static final class Builder {
        private final String name;
        private String version = "1";
        private long seed;
        private boolean seedSet;
        private final Map<String, String> params = new LinkedHashMap<>();
        private final List<StepSpec> steps = new ArrayList<>();
        private Path baseDir = Path.of("");

        private Builder(String name) {
            this.name = name;
        }

        public Builder version(String v) {
            this.version = v;
            return this;
        }

        /** The pipeline seed; required, so no run ever draws from an implicit one. */
        public Builder seed(long s) {
            this.seed = s;
            this.seedSet = true;
            return this;
        }

        public Builder param(String key, String value) {
            params.put(key, value);
            return this;
        }

        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        public Builder step(StepSpec step) {
            steps.add(step);
            return this;
        }

        public Pipeline build() {
            if (!seedSet) {
                throw new dev.ferry.InvalidInputException("pipeline " + name + " has no seed; set one so every run is reproducible");
            }
            String json = definitionJson();
            Pipeline p = new Pipeline(name, version, seed, params, steps, "builder", baseDir, json);
            PipelineValidator.requireValid(p, null);
            return p;
        }

        private String definitionJson() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("pipeline", name);
            d.put("version", version);
            d.put("seed", seed);
            d.put("params", params);
            List<Map<String, Object>> list = new ArrayList<>();
            for (StepSpec st : steps) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", st.id());
                m.put("type", st.type());
                m.put("depends_on", st.dependsOn());
                m.put("params", st.params());
                m.put("inputs", st.inputs());
                m.put("foreach", st.foreach());
                m.put("retry", Map.of("attempts", st.retry().attempts(), "backoff", st.retry().backoff().toMillis() + "ms",
                        "multiplier", st.retry().multiplier()));
                list.add(m);
            }
            d.put("steps", list);
            try {
                return new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(d);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a pipeline definition could not be written as JSON", e);
            }
        }
    }
}
