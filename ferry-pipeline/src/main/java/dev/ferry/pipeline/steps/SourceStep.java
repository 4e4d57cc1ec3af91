package dev.ferry.pipeline.steps;

import dev.ferry.pipeline.Hashes;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code source}: reads a data file ({@code path}) into the pipeline, so the steps after it see it
 * as an upstream output under its file name and its fingerprint enters their cache keys.
 */
public final class SourceStep implements StepType {

    @Override
    public String name() {
        return "source";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Set<String> requiredParams() {
        return Set.of("path");
    }

    @Override
    public List<Path> inputFiles(StepContext context) {
        return List.of(file(context));
    }

    private static Path file(StepContext context) {
        Path p = context.path("path");
        if (!Files.isRegularFile(p)) {
            throw context.invalid("path", context.string("path"), "an existing file (resolved to " + p + ")");
        }
        return p;
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
        Path p = file(context);
        Files.copy(p, context.outputDir().resolve(p.getFileName()));
        return StepResult.of(Map.of(), Map.of("path", p.toString(), "fingerprint", "sha256:" + Hashes.file(p)));
    }
}
