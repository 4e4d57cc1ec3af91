package dev.ferry.registry.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.model.ModelFormat;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.testing.LinearModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several processes registering into one directory get distinct version numbers: the file lock holds across JVMs. */
class CrossProcessTest {

    @TempDir
    Path work;

    @Test
    void twoChildProcessesAndThisOneRegisterWithoutClashing() throws IOException, InterruptedException {
        Path root = work.resolve("registry");
        Path model = LinearModels.write(work.resolve("m.txt"), List.of("age", "income"), 1.0, 0.5, -0.25);
        FileModelRegistry.open(root).close();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RegisterFromAnotherProcess.class.getName(),
                    root.toString(), "credit", model.toString(), "3").redirectErrorStream(true)
                    .redirectOutput(work.resolve("child-" + i + ".log").toFile()).start());
        }
        try (FileModelRegistry registry = FileModelRegistry.open(root)) {
            for (int i = 0; i < 3; i++) {
                registry.register(new RegisterRequest("credit", model, ModelFormat.LIGHTGBM, Optional.empty(), null, List.of(), "parent", ""));
            }
            for (Process p : children) {
                assertThat(p.waitFor()).as("child exit code").isZero();
            }
            assertThat(registry.versions("credit")).extracting(ModelVersion::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(registry.versions("credit")).extracting(ModelVersion::createdBy).filteredOn("child"::equals).hasSize(6);
        }
    }
}
