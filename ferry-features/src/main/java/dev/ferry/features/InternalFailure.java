package dev.ferry.features;

import dev.ferry.ErrorKind;
import dev.ferry.FerryException;

/** A failure of the offline engine itself (DuckDB, the file system) rather than of the caller's input. */
final class InternalFailure extends FerryException {

    private static final long serialVersionUID = 1L;

    InternalFailure(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INTERNAL;
    }
}
