package dev.ferry.server;

/**
 * A feature a module adds to the server without the server depending on it: it registers its
 * admin routes and starts its background work in {@link #register}, and stops in {@link #close}.
 * Extensions on the class path are found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.ferry.server.ServerExtension} file) or given to
 * {@link FerryServer.Builder#extension}.
 */
public interface ServerExtension extends AutoCloseable {

    /** Called once while the server is built, before it listens. */
    void register(ServerContext context);

    /** Called when the server closes, before its engine closes. */
    @Override
    default void close() {
    }
}
