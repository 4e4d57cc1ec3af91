package dev.ferry.pipeline;

import dev.ferry.InvalidInputException;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.online.OnlineStore;
import dev.ferry.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What steps work against: the data directory (object store, cache, logs, feature registry,
 * watermarks), and the model registry and online store when the pipeline registers or
 * materializes. The caller opens and closes these; a step only uses them.
 */
public final class PipelineEnvironment {

    private final Path dataDir;
    private final ModelRegistry models;
    private final OnlineStore online;
    private final Clock clock;
    private final String user;
    private FeatureRegistry features;

    private PipelineEnvironment(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.models = b.models;
        this.online = b.online;
        this.clock = b.clock;
        this.user = b.user;
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path pipelineDir() {
        return dataDir.resolve("pipeline");
    }

    public Clock clock() {
        return clock;
    }

    public String user() {
        return user;
    }

    /** The feature registry steps apply repositories to: {@code <data-dir>/features}, as the CLI uses. */
    public synchronized FeatureRegistry features() {
        if (features == null) {
            features = FeatureRegistry.open(dataDir.resolve("features"));
        }
        return features;
    }

    public Optional<ModelRegistry> modelRegistry() {
        return Optional.ofNullable(models);
    }

    /** The model registry, or a refusal naming the step that needs one. */
    public ModelRegistry requireModelRegistry(String step) {
        return modelRegistry().orElseThrow(() -> new InvalidInputException("step '" + step
                + "' registers a model but the pipeline was run without a model registry"));
    }

    public Optional<OnlineStore> onlineStore() {
        return Optional.ofNullable(online);
    }

    public OnlineStore requireOnlineStore(String step) {
        return onlineStore().orElseThrow(() -> new InvalidInputException("step '" + step
                + "' writes to the online store but the pipeline was run without one"));
    }

    /** Builds a {@link PipelineEnvironment}; only the data directory is required. */
    public static final class Builder {
        private final Path dataDir;
        private ModelRegistry models;
        private OnlineStore online;
        private Clock clock = Clock.systemUTC();
        private String user = System.getProperty("user.name", "ferry");

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        public Builder modelRegistry(ModelRegistry registry) {
            this.models = registry;
            return this;
        }

        public Builder onlineStore(OnlineStore store) {
            this.online = store;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder user(String u) {
            this.user = Objects.requireNonNull(u, "user");
            return this;
        }

        public PipelineEnvironment build() {
            return new PipelineEnvironment(this);
        }
    }
}
