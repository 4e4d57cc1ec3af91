package dev.ferry;

/** A time budget ran out before the work finished. */
public class DeadlineExceededException extends FerryException {

    private static final long serialVersionUID = 1L;

    public DeadlineExceededException(String message) {
        super(message);
    }

    public DeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.TIMEOUT;
    }
}
