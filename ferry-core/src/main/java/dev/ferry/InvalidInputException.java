package dev.ferry;

/** Input was malformed or of the wrong type; the message names the field, the value and what was expected. */
public class InvalidInputException extends FerryException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INVALID_INPUT;
    }
}
