package dev.ferry.features;

import dev.ferry.InvalidInputException;
import dev.ferry.types.ScalarType;

/** One column that identifies an entity, with its scalar type ({@code customer_id: int64}). */
public record JoinKey(String name, ScalarType type) {

    public JoinKey {
        Names.check("join key", name);
        if (type == null) {
            throw new InvalidInputException("join key '" + name + "' has no type; expected one of bool, int32, int64, float32, float64, string");
        }
    }
}
