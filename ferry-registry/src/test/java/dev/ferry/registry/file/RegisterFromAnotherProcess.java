package dev.ferry.registry.file;

import dev.ferry.model.ModelFormat;
import dev.ferry.registry.RegisterRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Entry point run in a child JVM by {@link CrossProcessTest}: registers versions into a shared directory. */
public final class RegisterFromAnotherProcess {

    private RegisterFromAnotherProcess() {
    }

    /** Arguments: registry directory, model name, model file, how many versions. */
    public static void main(String[] args) {
        try (FileModelRegistry registry = FileModelRegistry.open(Path.of(args[0]))) {
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                int v = registry.register(new RegisterRequest(args[1], Path.of(args[2]), ModelFormat.LIGHTGBM, Optional.empty(), null,
                        List.of(), "child", "")).version();
                System.out.println("registered " + v);
            }
        }
    }
}
