package dev.ferry.serving;

import dev.ferry.InvalidInputException;

/**
 * A model in the registry, by version number or alias ({@code champion}, {@code latest}).
 * A reference to an alias follows the alias: {@link ServingEngine#refresh()} moves the
 * deployment when the alias moves.
 */
public record ModelRef(String model, String versionOrAlias) {

    public ModelRef {
        if (model == null || model.isBlank()) {
            throw new InvalidInputException("model was '" + model + "' but a model name is required");
        }
        if (versionOrAlias == null || versionOrAlias.isBlank()) {
            throw new InvalidInputException("version of model '" + model + "' was '" + versionOrAlias
                    + "' but a version number or alias is required");
        }
    }

    /** Parses {@code name@3} or {@code name@champion}; a bare name means {@code latest}. */
    public static ModelRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("model reference was '" + text + "' but it must look like name@version or name@alias");
        }
        int at = text.indexOf('@');
        return at < 0 ? new ModelRef(text.trim(), "latest") : new ModelRef(text.substring(0, at).trim(), text.substring(at + 1).trim());
    }

    /**
     * The version number this reference pins, or 0 when it names an alias or {@code latest}. A
     * pinned number names its version for good (versions are immutable), so only the other
     * references can move.
     */
    public int pinnedVersion() {
        String r = versionOrAlias.trim();
        int n = 0;
        for (int i = 0; i < r.length() && n >= 0; i++) {
            char c = r.charAt(i);
            n = c >= '0' && c <= '9' && i < 9 ? n * 10 + (c - '0') : -1;
        }
        return Math.max(n, 0);
    }

    @Override
    public String toString() {
        return model + "@" + versionOrAlias;
    }
}
