package dev.ferry.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Writes ferry-linear model files (see {@link LinearTestRuntime}) for tests. */
public final class LinearModels {

    private LinearModels() {
    }

    /** Writes {@code score = bias + sum(weights[i] * features[i])} to {@code file}. */
    public static Path write(Path file, List<String> features, double bias, double... weights) {
        String text = "ferry-linear 1\n"
                + "features " + String.join(" ", features) + "\n"
                + "weights " + Arrays.stream(weights).mapToObj(Double::toString).collect(Collectors.joining(" ")) + "\n"
                + "bias " + bias + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
