package dev.ferry;

/**
 * The meanings a Ferry failure can have. This enum is the one place where a meaning is mapped to
 * a CLI exit code and to an HTTP status; everything else asks it.
 */
public enum ErrorKind {
    /** A named thing (model, version, alias, feature view, deployment) does not exist. */
    NOT_FOUND(3, 404),
    /** The caller sent something malformed or of the wrong type. */
    INVALID_INPUT(2, 400),
    /** The target exists but cannot serve yet (loading, warming, validating). */
    NOT_READY(4, 503),
    /** A check failed: golden examples, signature, checksum, data quality. */
    VALIDATION_FAILED(5, 422),
    /** A state conflict: an immutable thing would change, a concurrent change won. */
    CONFLICT(6, 409),
    /** A bound was hit: queue full, body or batch too large. */
    CAPACITY(7, 413),
    /** A time budget ran out. */
    TIMEOUT(8, 504),
    /** A dependency (store, broker, database) failed; the request itself may have been fine. */
    UNAVAILABLE(9, 503),
    /** A defect in Ferry. */
    INTERNAL(1, 500);

    private final int exitCode;
    private final int httpStatus;

    ErrorKind(int exitCode, int httpStatus) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    /** The process exit code the CLI uses for this kind. */
    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status the server answers with for this kind. */
    public int httpStatus() {
        return httpStatus;
    }
}
