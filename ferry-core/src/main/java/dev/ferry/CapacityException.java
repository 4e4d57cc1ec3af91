package dev.ferry;

/** A bound was reached: a queue, a body size, a batch size. */
public class CapacityException extends FerryException {

    private static final long serialVersionUID = 1L;

    public CapacityException(String message) {
        super(message);
    }

    public CapacityException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CAPACITY;
    }
}
