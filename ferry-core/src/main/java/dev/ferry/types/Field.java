package dev.ferry.types;

import dev.ferry.InvalidInputException;
import java.util.regex.Pattern;

/**
 * A named, typed value slot: a feature of a view, a column of a table, an input of a model.
 * A non-nullable field refuses a missing value; a nullable one lets it through as null (models
 * then see it as missing, e.g. NaN for XGBoost).
 */
public record Field(String name, FeatureType type, boolean nullable) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:\\-]*");

    public Field {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("field name was '" + name
                    + "' but it must start with a letter or '_' and contain only letters, digits, '_', '.', ':' and '-'");
        }
        if (type == null) {
            throw new InvalidInputException("field '" + name + "' has no type");
        }
    }

    public static Field of(String name, FeatureType type) {
        return new Field(name, type, true);
    }

    public static Field required(String name, FeatureType type) {
        return new Field(name, type, false);
    }

    /** Checks and converts one value for this field (see {@link FeatureType#coerce}). */
    public Object coerce(Object value) {
        if (value == null) {
            if (!nullable) {
                throw new InvalidInputException("feature '" + name + "' was missing (null) but it is required, of type " + type);
            }
            return null;
        }
        return type.coerce(name, value);
    }

    @Override
    public String toString() {
        return name + ":" + type + (nullable ? "" : " not null");
    }
}
