package dev.ferry.registry.store;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import java.util.List;
import java.util.Map;

/**
 * Resolves a version reference the same way in every backend: a version number ({@code 3}),
 * an alias ({@code champion}) or {@code latest}.
 */
public final class VersionRefs {

    private VersionRefs() {
    }

    public static ModelVersion resolve(ModelRegistry registry, String name, String ref) {
        RegistryNames.checkModel(name);
        if (ref == null || ref.isBlank()) {
            throw new InvalidInputException("version reference of model '" + name + "' was '" + ref
                    + "' but it must be a version number, an alias or 'latest'");
        }
        String r = ref.trim();
        if (allDigits(r)) {
            int v;
            try {
                v = Integer.parseInt(r);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("version was '" + r + "' but it must be a number from 1 to " + Integer.MAX_VALUE);
            }
            return registry.version(name, RegistryNames.checkVersion(v));
        }
        if (r.equals(RegistryNames.LATEST)) {
            List<ModelVersion> all = registry.versions(name);
            return all.get(all.size() - 1);
        }
        Map<String, Integer> aliases = registry.aliases(name);
        Integer v = aliases.get(r);
        if (v == null) {
            throw new NotFoundException("model '" + name + "' has no alias '" + r + "' (its aliases: " + aliases.keySet()
                    + "); expected a version number, an alias or 'latest'");
        }
        return registry.version(name, v);
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
