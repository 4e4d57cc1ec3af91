package dev.ferry.server;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * A feature a module adds to the server without the server depending on it (the web console,
 * staged rollouts): it may configure meters before the engine exists, registers its routes and
 * starts its background work in {@link #register}, and stops in {@link #close}. Extensions on the
 * class path are found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.ferry.server.ServerExtension} file), or given to
 * {@link FerryServer.Builder#extension} / {@link FerryServer.Builder#extensions}. Changes go
 * through admin routes ({@link ServerContext#adminPost}), which share the admin API's token,
 * error mapping and audit log.
 */
public interface ServerExtension extends AutoCloseable {

    /**
     * Called before the serving engine exists, so meter filters apply to every engine meter
     * (e.g. to turn on latency histograms).
     */
    default void configureMeters(MeterRegistry registry) {
    }

    /** Called once while the server is built, after the server's own routes, before it listens. */
    void register(ServerContext context);

    /** Called when the server closes, before its engine closes. */
    @Override
    default void close() {
    }
}
