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
        values = values instanceof Owned owned ? Collections.unmodifiableMap(owned.map)
                : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * A row over {@code values} without copying them: the caller hands the map over and must not
     * change it afterwards. For code that builds a row's map itself on a hot path (serving builds
     * several rows per request); everywhere else the copying constructor is the safe choice.
     */
    public static Row owning(LinkedHashMap<String, Object> values) {
        return new Row(new Owned(values));
    }

    // Marks a map handed over by owning(); never stored, only unwrapped by the constructor.
    private static final class Owned extends java.util.AbstractMap<String, Object> {
        private final Map<String, Object> map;

        Owned(Map<String, Object> map) {
            this.map = java.util.Objects.requireNonNull(map, "values");
        }

        @Override
        public java.util.Set<Entry<String, Object>> entrySet() {
            return map.entrySet();
        }
    }

    /** {@code Row.of("age", 42, "city", "Oslo")}. */
    public static Row of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Row.of takes name, value pairs");
        }
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return owning(m);
    }

    public Object get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
