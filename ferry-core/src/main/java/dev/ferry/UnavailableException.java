package dev.ferry;

/** A dependency (store, broker, database) failed or could not be reached. */
public class UnavailableException extends FerryException {

    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UNAVAILABLE;
    }
}
