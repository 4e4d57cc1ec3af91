package dev.ferry;

/** The target exists but is not ready to serve yet. */
public class NotReadyException extends FerryException {

    private static final long serialVersionUID = 1L;

    public NotReadyException(String message) {
        super(message);
    }

    public NotReadyException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.NOT_READY;
    }
}
