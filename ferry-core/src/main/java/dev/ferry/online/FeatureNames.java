package dev.ferry.online;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct feature names of one read, in the order first requested, with each name's
 * position. Every {@link EntityFeatures} of a read shares one instance, so an answer of many
 * entities holds one name index, not one map per entity. Immutable.
 */
final class FeatureNames {

    private final String[] names;
    // Fully built in the constructor and never changed: the final field publishes it safely.
    private final Map<String, Integer> positions;

    private FeatureNames(String[] names, Map<String, Integer> positions) {
        this.names = names;
        this.positions = positions;
    }

    /** The distinct names of {@code requested}, a name asked twice keeping its first position. */
    static FeatureNames of(List<String> requested) {
        Map<String, Integer> positions = new HashMap<>(Math.max(4, requested.size() * 2));
        String[] names = new String[requested.size()];
        int n = 0;
        for (String name : requested) {
            if (positions.putIfAbsent(name, n) == null) {
                names[n++] = name;
            }
        }
        return new FeatureNames(n == names.length ? names : Arrays.copyOf(names, n), positions);
    }

    int size() {
        return names.length;
    }

    String name(int position) {
        return names[position];
    }

    /** The position of {@code name}, or -1 when it was not requested. */
    int positionOf(Object name) {
        Integer at = positions.get(name);
        return at == null ? -1 : at;
    }

    /** The names, in order, as text for messages. */
    @Override
    public String toString() {
        return Arrays.toString(names);
    }
}
