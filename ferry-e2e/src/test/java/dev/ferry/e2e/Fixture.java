package dev.ferry.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Trains and registers the scenario's models once per test JVM; each test class copies the registry. */
final class Fixture {

    static final long SEED = 7;
    private static Path trained;
    private static CtrServing.Models models;

    private Fixture() {
    }

    static synchronized CtrServing.Models models() {
        if (models == null) {
            try {
                trained = Files.createTempDirectory("ferry-e2e-models-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(trained)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            models = CtrServing.train(trained, SEED);
        }
        return models;
    }

    /** A fresh copy of the trained registry (the alias starts at v1) in {@code dir}. */
    static Path registryCopy(Path dir) {
        models();
        Path src = trained.resolve("registry");
        Path dst = dir.resolve("registry");
        try (var walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dst;
    }

    static void delete(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort on exit
        }
    }
}
