package dev.ferry.server;

import dev.ferry.serving.ServingEngine;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What a {@link ServerExtension} may read from the server it extends.
 *
 * @param engine   the serving engine (deployments, registry, meters)
 * @param config   the server's configuration (admin token, data directory)
 * @param auditLog the admin audit log file (JSON Lines, one change a line; may not exist yet)
 * @param clock    the server's clock
 */
public record ServerContext(ServingEngine engine, ServerConfig config, Path auditLog, Clock clock) {
}
