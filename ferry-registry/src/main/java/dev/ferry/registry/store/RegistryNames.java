package dev.ferry.registry.store;

import dev.ferry.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The naming rules of the registry. Model names become directory names and URL path segments,
 * so they are restricted to a portable set; alias names must not look like a version number or
 * {@code latest}, so a reference always means one thing.
 */
public final class RegistryNames {

    /** The reference that resolves to the newest version. */
    public static final String LATEST = "latest";

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    private RegistryNames() {
    }

    public static String checkModel(String name) {
        if (name == null || !MODEL.matcher(name).matches()) {
            throw new InvalidInputException("model name was '" + name + "' but it must be 1 to 128 characters: letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        return name;
    }

    public static String checkAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new InvalidInputException("alias was '" + alias + "' but it must be 1 to 64 characters: letters, digits, '_' or '-',"
                    + " starting with a letter (e.g. champion, challenger)");
        }
        if (alias.equals(LATEST)) {
            throw new InvalidInputException("alias was 'latest' but that name is reserved: it always resolves to the newest version");
        }
        return alias;
    }

    public static int checkVersion(int version) {
        if (version < 1) {
            throw new InvalidInputException("version was " + version + " but versions are numbered from 1");
        }
        return version;
    }
}
