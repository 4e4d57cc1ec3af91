package dev.ferry.serving;

import dev.ferry.types.Row;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** {@link PrecomputedAnswers} held in a map: for tests and for answers loaded at start-up. */
public final class InMemoryPrecomputedAnswers implements PrecomputedAnswers {

    private final Map<String, Row> answers = new ConcurrentHashMap<>();

    public void put(String deployment, Map<String, Object> entity, Row output) {
        answers.put(key(deployment, entity), output);
    }

    @Override
    public Optional<Row> lookup(String deployment, Map<String, Object> entity) {
        return Optional.ofNullable(answers.get(key(deployment, entity)));
    }

    private static String key(String deployment, Map<String, Object> entity) {
        return deployment + "/" + new TreeMap<>(entity);
    }
}
