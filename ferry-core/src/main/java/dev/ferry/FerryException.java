package dev.ferry;

/**
 * Base of every failure Ferry reports on purpose. Each subclass carries one {@link ErrorKind},
 * and the kind alone decides the CLI exit code and the HTTP status, so callers never map
 * exceptions to codes themselves.
 */
public abstract class FerryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected FerryException(String message) {
        super(message);
    }

    protected FerryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What went wrong, in the terms a caller can act on. */
    public abstract ErrorKind kind();
}
