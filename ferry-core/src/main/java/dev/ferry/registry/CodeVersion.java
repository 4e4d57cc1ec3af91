package dev.ferry.registry;

/**
 * The code a model or run came from.
 *
 * @param commit the git commit (or another VCS revision), "unknown" when not in a repository
 * @param dirty  whether the working tree had uncommitted changes
 */
public record CodeVersion(String commit, boolean dirty) {

    public static final CodeVersion UNKNOWN = new CodeVersion("unknown", false);
}
