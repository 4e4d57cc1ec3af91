package dev.ferry.types;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of named values: an entity's features, a table row, one prediction's outputs.
 * Values may be null (missing). Values are canonical (see {@link FeatureType#coerce}) once a
 * {@link Schema} has checked the row.
 */
public record Row(Map<String, Object> values) {

    public Row {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** {@code Row.of("age", 42, "city", "Oslo")}. */
    public static Row of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Row.of takes name, value pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Row(m);
    }

    public Object get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
