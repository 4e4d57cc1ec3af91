package dev.ferry.serving;

/**
 * Told of every request as it ends ({@link ServingEngine#addListener}). Called on the request
 * path, so an implementation must be quick and must not block: count, or queue for later.
 * An exception it throws is ignored and never fails the request.
 */
@FunctionalInterface
public interface ServedListener {

    void served(ServedRequest request);
}
