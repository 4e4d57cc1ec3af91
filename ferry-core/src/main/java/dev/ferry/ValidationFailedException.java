package dev.ferry;

/** A check failed: golden examples, a signature, a checksum, a data-quality rule. */
public class ValidationFailedException extends FerryException {

    private static final long serialVersionUID = 1L;

    public ValidationFailedException(String message) {
        super(message);
    }

    public ValidationFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.VALIDATION_FAILED;
    }
}
