package dev.ferry.monitoring.profile;

import dev.ferry.ConflictException;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The baseline profile of each model version, kept in Ferry's data directory as
 * {@code monitoring/baselines/<model>/<version>/profile.json}. A version's baseline is written
 * once (like the version itself); replacing it must be asked for. The registry stays untouched,
 * so this works the same with the file and the PostgreSQL registry.
 */
public final class BaselineStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

    private final Path root;

    private BaselineStore(Path root) {
        this.root = root;
    }

    /** The store under {@code dataDir/monitoring/baselines}. */
    public static BaselineStore in(Path dataDir) {
        return new BaselineStore(dataDir.resolve("monitoring").resolve("baselines"));
    }

    /** Where the baseline of {@code model} version {@code version} is (or would be). */
    public Path path(String model, int version) {
        if (model == null || !NAME.matcher(model).matches()) {
            throw new InvalidInputException("model name was '" + model + "' but it must be letters, digits, '_', '.' and '-'");
        }
        if (version <= 0) {
            throw new InvalidInputException("model version was " + version + " but it must be a positive number");
        }
        return root.resolve(model).resolve(Integer.toString(version)).resolve("profile.json");
    }

    /** Stores the baseline; refuses to replace an existing one unless {@code replace}. */
    public Path save(String model, int version, DatasetProfile profile, boolean replace) {
        Path p = path(model, version);
        if (!replace && Files.exists(p)) {
            throw new ConflictException("model '" + model + "' version " + version + " already has a baseline at " + p
                    + "; pass --replace to replace it");
        }
        ProfileJson.writeFile(profile, p);
        return p;
    }

    public DatasetProfile load(String model, int version) {
        Path p = path(model, version);
        if (!Files.exists(p)) {
            throw new NotFoundException("model '" + model + "' version " + version + " has no baseline profile (looked in " + p
                    + "); create one with ferry monitor profile --model " + model + " --version " + version);
        }
        return ProfileJson.readFile(p);
    }
}
