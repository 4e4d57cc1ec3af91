package dev.ferry.serving.testkit;

import dev.ferry.model.ModelFormat;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes {@link LinearRuntime} model files and registers them, with golden examples computed by hand. */
public final class Models {

    private Models() {
    }

    /** A packed model over float64 features {@code x1, x2}: score = bias + w1*x1 + w2*x2, with one golden example. */
    public static ModelVersion linear(InMemoryModelRegistry registry, Path dir, String name, double w1, double w2, double bias,
                                      String behavior) {
        Path file = write(dir, name, "layout packed\nfeatures x1:float64 x2:float64\nweights " + w1 + " " + w2
                + "\nbias " + bias + "\nbehavior " + behavior + "\n");
        List<GoldenExample> golden = behavior.equals("normal")
                ? List.of(new GoldenExample(Map.of("x1", 1.0, "x2", 2.0), Map.of("score", bias + w1 + 2 * w2), 1e-9))
                : List.of();
        return registry.register(new RegisterRequest(name, file, ModelFormat.ONNX, Optional.empty(), Provenance.none(), golden,
                "test", "linear " + w1 + " " + w2 + " " + bias));
    }

    /** A per-feature model with one input of each datatype (score = sum of values; strings count their length). */
    public static ModelVersion typed(InMemoryModelRegistry registry, Path dir, String name) {
        Path file = write(dir, name, "layout per_feature\nfeatures b:bool i:int32 l:int64 f:float32 d:float64 s:string v:float32[3]\n"
                + "weights 1 1 1 1 1 1 1\nbias 0\n");
        return registry.register(new RegisterRequest(name, file, ModelFormat.ONNX, Optional.empty(), Provenance.none(), List.of(),
                "test", "typed"));
    }

    public static Path write(Path dir, String name, String body) {
        try {
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, name, ".linear");
            Files.writeString(file, "ferry-linear 1\n" + body);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
