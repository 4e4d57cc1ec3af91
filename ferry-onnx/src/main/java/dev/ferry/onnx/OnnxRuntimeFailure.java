package dev.ferry.onnx;

import dev.ferry.ErrorKind;
import dev.ferry.FerryException;

/** ONNX Runtime failed on input Ferry had already checked: a fault of the model or the runtime, not of the caller. */
final class OnnxRuntimeFailure extends FerryException {

    private static final long serialVersionUID = 1L;

    OnnxRuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INTERNAL;
    }
}
