package dev.ferry.server;

import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A part of the server that lives in its own module (the web console) and adds routes. The
 * server finds extensions on the class path with {@link java.util.ServiceLoader}, so putting the
 * module's jar beside the server is all it takes; {@link FerryServer.Builder#extensions} sets
 * them explicitly instead. Extensions only add routes: the admin API stays the one way to change
 * anything.
 */
public interface ServerExtension extends AutoCloseable {

    /**
     * Called before the serving engine exists, so meter filters apply to every engine meter
     * (e.g. to turn on latency histograms).
     */
    default void configureMeters(MeterRegistry registry) {
    }

    /** Adds this extension's routes; called once, after the server's own routes. */
    void register(HttpRouting.Builder routing, ServerContext context);

    /** Stops what the extension started (called when the server closes, after it stops listening). */
    @Override
    default void close() {
    }
}
