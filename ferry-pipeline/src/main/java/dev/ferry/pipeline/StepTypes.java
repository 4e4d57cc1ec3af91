package dev.ferry.pipeline;

import dev.ferry.InvalidInputException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The step types a runner knows: those on the class path ({@link #load()}) plus any added in code
 * ({@link #with}), e.g. a test's own step.
 */
public final class StepTypes {

    private final Map<String, StepType> types;

    private StepTypes(Map<String, StepType> types) {
        this.types = Map.copyOf(types);
    }

    /** Every step type found by {@link ServiceLoader} on the class path. */
    public static StepTypes load() {
        Map<String, StepType> m = new TreeMap<>();
        for (StepType t : ServiceLoader.load(StepType.class, StepTypes.class.getClassLoader())) {
            if (m.putIfAbsent(t.name(), t) != null) {
                throw new IllegalStateException("two step types are named " + t.name() + ": "
                        + m.get(t.name()).getClass().getName() + " and " + t.getClass().getName());
            }
        }
        return new StepTypes(m);
    }

    /** These types plus {@code more}; a name already known is replaced. */
    public StepTypes with(StepType... more) {
        Map<String, StepType> m = new TreeMap<>(types);
        for (StepType t : more) {
            m.put(t.name(), t);
        }
        return new StepTypes(m);
    }

    public Optional<StepType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public StepType get(String name) {
        return find(name).orElseThrow(() -> new InvalidInputException("unknown step type '" + name + "'; known: " + names()));
    }

    public Collection<String> names() {
        return new TreeMap<>(types).keySet();
    }
}
