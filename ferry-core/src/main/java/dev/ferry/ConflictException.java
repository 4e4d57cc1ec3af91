package dev.ferry;

/** The change conflicts with stored state (an immutable version, a concurrent writer). */
public class ConflictException extends FerryException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CONFLICT;
    }
}
