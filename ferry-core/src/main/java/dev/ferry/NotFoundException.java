package dev.ferry;

/** A named thing does not exist. */
public class NotFoundException extends FerryException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.NOT_FOUND;
    }
}
