package dev.ferry.types;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An ordered list of uniquely named fields: a feature view's schema, a model's feature list. */
public final class Schema {

    private final List<Field> fields;
    private final Map<String, Integer> index;

    private Schema(List<Field> fields) {
        this.fields = List.copyOf(fields);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < this.fields.size(); i++) {
            Field f = this.fields.get(i);
            if (idx.put(f.name(), i) != null) {
                throw new InvalidInputException("field '" + f.name() + "' appears more than once; field names must be unique");
            }
        }
        this.index = Collections.unmodifiableMap(idx);
    }

    public static Schema of(List<Field> fields) {
        return new Schema(fields);
    }

    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    public List<Field> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(fields.size());
        for (Field f : fields) {
            names.add(f.name());
        }
        return names;
    }

    public Optional<Field> find(String name) {
        Integer i = index.get(name);
        return i == null ? Optional.empty() : Optional.of(fields.get(i));
    }

    public Field field(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("field '" + name + "' is not in the schema " + names()));
    }

    /** Position of {@code name}, or -1. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /**
     * Checks and converts every field of {@code row}; unknown names are an error, so a typo
     * in a feature name is reported instead of becoming a silent null. All problems are
     * reported together.
     */
    public Row coerce(Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String key : row.values().keySet()) {
            if (!index.containsKey(key)) {
                problems.add("feature '" + key + "' is not in the schema " + names());
            }
        }
        for (Field f : fields) {
            try {
                out.put(f.name(), f.coerce(row.get(f.name())));
            } catch (InvalidInputException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
        return new Row(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && s.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
