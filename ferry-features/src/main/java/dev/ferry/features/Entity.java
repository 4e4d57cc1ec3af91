package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.util.List;

/**
 * A thing features describe (a customer, a driver, a zip code), identified by one or more join
 * keys. Views name the entities they are keyed by; training sets join on their keys.
 */
public record Entity(String name, List<JoinKey> joinKeys, String description) {

    public Entity {
        Names.check("entity", name);
        joinKeys = List.copyOf(joinKeys);
        if (joinKeys.isEmpty()) {
            throw new InvalidInputException("entity '" + name + "' has no join keys; expected at least one");
        }
        description = description == null ? "" : description;
    }

    public static Entity of(String name, JoinKey... keys) {
        return new Entity(name, List.of(keys), "");
    }
}
