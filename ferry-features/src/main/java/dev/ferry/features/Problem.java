package dev.ferry.features;

/**
 * One thing wrong with a feature repository, located in its YAML file when it came from one
 * ({@code features.yaml:12: ...}). Definitions built in Java have no file; the location then
 * names the definition.
 */
public record Problem(String file, int line, String message) {

    static Problem at(Origin origin, String message) {
        return new Problem(origin.file(), origin.line(), message);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
