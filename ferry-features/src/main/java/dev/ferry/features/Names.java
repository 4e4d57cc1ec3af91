package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.util.regex.Pattern;

/** Definition names become SQL identifiers and file names, so they are kept to a safe alphabet. */
final class Names {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Names() {
    }

    static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static String check(String what, String name) {
        if (!valid(name)) {
            throw new InvalidInputException(what + " name was '" + name
                    + "' but it must start with a letter or '_' and contain only letters, digits and '_'");
        }
        return name;
    }
}
