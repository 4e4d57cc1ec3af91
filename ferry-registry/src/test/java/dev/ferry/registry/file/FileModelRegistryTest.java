package dev.ferry.registry.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.InvalidInputException;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.json.RegistryJson;
import dev.ferry.registry.testing.ModelRegistryContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FileModelRegistryTest extends ModelRegistryContract {

    private Path root() {
        return work.resolve("registry");
    }

    @Override
    protected ModelRegistry openRegistry(Clock clock) {
        return FileModelRegistry.open(root(), clock);
    }

    @Override
    protected Path artifactDirectory() {
        return root().resolve("artifacts").resolve("sha256");
    }

    @Test
    void eachVersionIsOneJsonFileCarryingItsFormatVersion() throws IOException {
        ModelVersion v = registerLinear("credit");
        Path file = root().resolve("models/credit/versions/000001.json");

        String json = Files.readString(file);
        assertThat(json).contains("\"formatVersion\" : 1").contains("\"sha256\" : \"" + v.sha256() + "\"");
        assertThat(RegistryJson.readVersion(Files.readAllBytes(file), file.toString())).isEqualTo(v);
    }

    @Test
    void aVersionFileFromANewerFerryIsRefusedNamingFoundAndExpected() throws IOException {
        registerLinear("credit");
        Path file = root().resolve("models/credit/versions/000001.json");
        Files.writeString(file, Files.readString(file).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));

        assertThatThrownBy(() -> registry.version("credit", 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("formatVersion 7")
                .hasMessageContaining("only formatVersion 1");
    }

    @Test
    void noTemporaryOrStagingFilesRemainAfterWrites() throws IOException {
        registerLinear("credit");
        registry.setAlias("credit", "champion", 1, "bob", "");

        try (Stream<Path> s = Files.walk(root())) {
            assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".tmp-"));
        }
        try (Stream<Path> s = Files.list(root().resolve("artifacts/staging"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aNonEmptyDirectoryThatIsNotARegistryIsRefused() throws IOException {
        Path dir = Files.createDirectories(work.resolve("photos"));
        Files.writeString(dir.resolve("cat.jpg"), "meow");

        assertThatThrownBy(() -> FileModelRegistry.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a Ferry registry");
    }

    @Test
    void aRegistryWithAnUnknownLayoutVersionIsRefused() throws IOException {
        Files.writeString(root().resolve("registry.json"), "{\"formatVersion\": 2, \"kind\": \"ferry-file-registry\"}");

        assertThatThrownBy(() -> FileModelRegistry.open(root())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("formatVersion 2").hasMessageContaining("formatVersion 1");
    }

    @Test
    void aVersionFileEditedAfterItWasReadIsReadAgain() throws IOException {
        registerLinear("credit");
        assertThat(registry.version("credit", 1).version()).as("read once, so it is parsed and kept").isEqualTo(1);
        Path file = root().resolve("models/credit/versions/000001.json");
        // another size: the check must not depend on the file system's time resolution
        Files.writeString(file, Files.readString(file).replace("\"formatVersion\" : 1", "\"formatVersion\" : 77"));

        assertThatThrownBy(() -> registry.version("credit", 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("formatVersion 77");
    }

    @Test
    void aliasMovesByAnotherRegistryOnTheSameDirectoryAreSeenAtOnce() {
        registerLinear("credit");
        registerLinear("credit");
        registry.setAlias("credit", "champion", 1, "bob", "");
        assertThat(registry.resolve("credit", "champion").version()).isEqualTo(1);
        try (FileModelRegistry other = FileModelRegistry.open(root())) {
            other.setAlias("credit", "champion", 2, "carol", "");
        }
        assertThat(registry.resolve("credit", "champion").version()).isEqualTo(2);
        assertThat(registry.aliasHistory("credit")).hasSize(2);
    }

    @Test
    void everyMoveByAnotherRegistryIsSeenByTheNextResolution() {
        registerLinear("credit");
        registerLinear("credit");
        try (FileModelRegistry other = FileModelRegistry.open(root())) {
            for (int i = 0; i < 60; i++) {
                int to = 1 + i % 2;
                other.setAlias("credit", "champion", to, "carol", "move " + i);
                assertThat(registry.resolve("credit", "champion").version()).as("after move %d", i).isEqualTo(to);
                // and a move by this registry, right after the other's, takes the next number
                registry.setAlias("credit", "shadow", 3 - to, "bob", "move " + i);
                assertThat(other.resolve("credit", "shadow").version()).as("after move %d", i).isEqualTo(3 - to);
            }
        }
        assertThat(registry.aliasHistory("credit")).hasSize(120);
        assertThat(registry.aliasHistory("credit").get(119).reason()).isEqualTo("move 59");
    }

    @Test
    void aHistoryReplacedByAnotherOfTheSameLengthIsReadAgain() throws IOException {
        registerLinear("credit");
        registerLinear("credit");
        registry.setAlias("credit", "champion", 1, "bob", "");
        registry.setAlias("credit", "champion", 2, "bob", "");
        assertThat(registry.resolve("credit", "champion").version()).isEqualTo(2);
        // a restore from a backup in which the second move went elsewhere: as many files, other contents
        Path second = root().resolve("models/credit/alias-events/00000002.json");
        AliasEvent moved = RegistryJson.readAliasEvent(Files.readAllBytes(second), second.toString());
        Path restored = work.resolve("restored.json");
        Files.write(restored, RegistryJson.writeAliasEvent(new AliasEvent(moved.model(), moved.alias(), 1, 1, "restore",
                moved.at(), "restored")));
        Files.move(restored, second, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(registry.resolve("credit", "champion").version()).isEqualTo(1);
    }

    @Test
    void numberedFileNamesAreWhatTheFormatterGives() {
        for (int n : new int[] {1, 9, 10, 99_999, 999_999, 1_000_000, 99_999_999, 100_000_000, Integer.MAX_VALUE}) {
            assertThat(FileModelRegistry.paddedFileName(n, 6)).isEqualTo(String.format("%06d.json", n));
            assertThat(FileModelRegistry.paddedFileName(n, 8)).isEqualTo(String.format("%08d.json", n));
        }
    }
}
