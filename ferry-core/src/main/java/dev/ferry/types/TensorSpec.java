package dev.ferry.types;

import dev.ferry.InvalidInputException;
import java.util.Arrays;

/**
 * The declared name, element type and shape of a model input or output. A dimension of -1 is
 * dynamic (any size); the first dimension is normally the batch and dynamic.
 */
public record TensorSpec(String name, ScalarType type, long[] shape) {

    public TensorSpec {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("tensor name was '" + name + "' but it must not be blank");
        }
        if (type == null) {
            throw new InvalidInputException("tensor '" + name + "' has no type");
        }
        shape = shape.clone();
    }

    public static TensorSpec of(String name, ScalarType type, long... shape) {
        return new TensorSpec(name, type, shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Throws an {@link InvalidInputException} naming the tensor unless {@code t} fits this spec. */
    public void check(Tensor t) {
        if (t.type() != type) {
            throw new InvalidInputException("input '" + name + "' has datatype " + t.type().oipDatatype()
                    + " but the model expects " + type.oipDatatype());
        }
        long[] actual = t.shape();
        if (actual.length != shape.length) {
            throw new InvalidInputException("input '" + name + "' has shape " + Arrays.toString(actual)
                    + " but the model expects " + Arrays.toString(shape));
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                throw new InvalidInputException("input '" + name + "' has shape " + Arrays.toString(actual)
                        + " but the model expects " + Arrays.toString(shape) + " (-1 is any size)");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec s && s.name.equals(name) && s.type == type && Arrays.equals(s.shape, shape);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + type.hashCode()) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ":" + type + Arrays.toString(shape);
    }
}
