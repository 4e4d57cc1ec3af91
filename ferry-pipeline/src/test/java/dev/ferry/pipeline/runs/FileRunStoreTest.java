package dev.ferry.pipeline.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRunStoreTest extends RunStoreContract {

    @TempDir
    Path dir;

    @Override
    protected RunStore open() {
        return FileRunStore.open(dir.resolve("runs"));
    }

    @Override
    protected void writeForeignFormat(String id) {
        try {
            Files.writeString(dir.resolve("runs").resolve(id + ".json"), "{\"format\": 99, \"id\": \"" + id + "\"}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSaveLeavesNoTemporaryFileBehind() throws Exception {
        store.save(run("r1", Instant.parse("2026-01-01T00:00:00Z"), RunStatus.SUCCEEDED));
        try (var files = Files.list(dir.resolve("runs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("r1.json");
        }
    }
}
