package dev.ferry.cli;

import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.registry.postgres.PostgresModelRegistry;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the model registry lives: a directory (the embedded default, {@code <data-dir>/registry})
 * or PostgreSQL ({@code jdbc:postgresql://...}) with artifacts in a shared directory.
 */
final class RegistryOptions {

    @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}",
            description = "Ferry's data directory (default: ${DEFAULT-VALUE}; env FERRY_DATA_DIR).")
    Path dataDir;

    @Option(names = "--registry", defaultValue = "${env:FERRY_REGISTRY}",
            description = "Registry location: a directory, or a jdbc:postgresql:// URL (env FERRY_REGISTRY). "
                    + "Default: <data-dir>/registry.")
    String registry;

    @Option(names = "--artifacts", defaultValue = "${env:FERRY_ARTIFACTS}",
            description = "Shared artifact directory for a PostgreSQL registry (env FERRY_ARTIFACTS). "
                    + "Default: <data-dir>/artifacts.")
    Path artifacts;

    ModelRegistry open() {
        if (registry != null && registry.startsWith("jdbc:postgresql:")) {
            Path dir = artifacts != null ? artifacts : dataDir.resolve("artifacts");
            return PostgresModelRegistry.open(registry, System.getenv("FERRY_REGISTRY_USER"),
                    System.getenv("FERRY_REGISTRY_PASSWORD"), dir);
        }
        Path dir = registry != null ? Path.of(registry) : dataDir.resolve("registry");
        return FileModelRegistry.open(dir);
    }
}
