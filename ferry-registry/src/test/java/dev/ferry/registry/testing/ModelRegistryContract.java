package dev.ferry.registry.testing;

import dev.ferry.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ConflictException;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.ValidationFailedException;
import dev.ferry.model.InputLayout;
import dev.ferry.model.Model;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.CodeVersion;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.Provenance;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.TrainingData;
import dev.ferry.registry.store.RegistryModels;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import dev.ferry.types.Row;
import dev.ferry.types.ScalarType;
import dev.ferry.types.TensorSpec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ModelRegistry} backend must have. A backend's test extends this
 * class and supplies fresh storage per test; when the suite passes, the backend is correct.
 * Models are ferry-linear files loaded by {@link LinearTestRuntime}, so validation is real.
 */
public abstract class ModelRegistryContract {

    protected static final Instant START = Instant.parse("2026-03-01T09:00:00.123456Z");

    @TempDir
    protected Path work;

    protected MutableClock clock;
    protected ModelRegistry registry;
    private final List<ModelRegistry> opened = new ArrayList<>();

    /**
     * Opens a registry over this test's storage. Called several times in one test, it must return
     * independent instances over the same storage (as two servers sharing one registry).
     */
    protected abstract ModelRegistry openRegistry(Clock clock);

    /** The directory the backend keeps content-addressed artifacts in. */
    protected abstract Path artifactDirectory();

    @BeforeEach
    void openTheRegistry() {
        clock = new MutableClock(START);
        registry = open();
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(ModelRegistry::close);
    }

    protected ModelRegistry open() {
        ModelRegistry r = openRegistry(clock);
        opened.add(r);
        return r;
    }

    // ---- helpers -------------------------------------------------------------------------

    /** score = 1 + 0.5 * age - 0.25 * income */
    protected Path linearModel(String file) {
        return LinearModels.write(work.resolve(file), List.of("age", "income"), 1.0, 0.5, -0.25);
    }

    protected static GoldenExample golden(double age, double income, double score) {
        return new GoldenExample(Map.of("age", age, "income", income), Map.of("score", score), 1e-9);
    }

    protected static Provenance provenance() {
        return new Provenance(new TrainingData("training-set:credit@3", "sha256:abc", Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2025-12-31T00:00:00Z"), 28000), List.of("credit:age", "credit:income"),
                Map.of("learning_rate", "0.1"), 42L, Map.of("auc", 0.91), new CodeVersion("1a2b3c4", false), "run-17");
    }

    protected RegisterRequest request(String name, Path artifact, List<GoldenExample> golden) {
        return new RegisterRequest(name, artifact, ModelFormat.LIGHTGBM, Optional.empty(), provenance(), golden, "alice",
                "first cut");
    }

    protected ModelVersion registerLinear(String name) {
        return registry.register(request(name, linearModel(name + "-" + System.nanoTime() + ".txt"),
                List.of(golden(2, 4, 1.0), golden(10, 0, 6.0))));
    }

    private static ModelSignature claimedSignature(String output) {
        return new ModelSignature(List.of(Field.of("age", FeatureType.FLOAT64), Field.of("income", FeatureType.FLOAT64)),
                InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, 2)),
                List.of(TensorSpec.of(output, ScalarType.FLOAT64, -1)), Map.of());
    }

    private List<Path> storedArtifactFiles() throws IOException {
        Path dir = artifactDirectory();
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    // ---- register, list, show ----------------------------------------------------------

    @Test
    void versionsAreNumberedFromOnePerModel() {
        assertThat(registerLinear("credit").version()).isEqualTo(1);
        assertThat(registerLinear("credit").version()).isEqualTo(2);
        assertThat(registerLinear("fraud").version()).isEqualTo(1);

        assertThat(registry.models()).containsExactly("credit", "fraud");
        assertThat(registry.versions("credit")).extracting(ModelVersion::version).containsExactly(1, 2);
    }

    @Test
    void aRegisteredVersionReadsBackEqualWithRuntimeSignatureAndLineage() {
        ModelVersion v = registerLinear("credit");

        assertThat(open().version("credit", 1)).isEqualTo(v);
        assertThat(v.runtimeVersion()).isEqualTo(LinearTestRuntime.VERSION);
        assertThat(v.signature().featureNames()).containsExactly("age", "income");
        assertThat(v.signature().outputs()).containsExactly(TensorSpec.of("score", ScalarType.FLOAT64, -1));
        assertThat(v.provenance()).isEqualTo(provenance());
        assertThat(v.golden()).hasSize(2);
        assertThat(v.createdBy()).isEqualTo("alice");
        assertThat(v.createdAt()).isEqualTo(START);
        assertThat(v.sha256()).matches("[0-9a-f]{64}");
        assertThat(v.format()).isEqualTo(ModelFormat.LIGHTGBM);
    }

    @Test
    void theArtifactIsAnExactCopyAddressedByItsHash() throws IOException {
        Path source = linearModel("m.txt");
        ModelVersion v = registry.register(request("credit", source, List.of()));

        Path stored = registry.artifact(v);
        assertThat(stored).startsWith(artifactDirectory());
        assertThat(stored.toString()).contains(v.sha256().substring(0, 2)).contains(v.sha256());
        assertThat(Files.readAllBytes(stored)).isEqualTo(Files.readAllBytes(source));
        assertThat(v.sizeBytes()).isEqualTo(Files.size(source));
        assertThat(v.fileName()).isEqualTo("m.txt");
    }

    @Test
    void registeringTheSameArtifactAgainMakesANewVersionAndLeavesTheOldOneAlone() throws IOException {
        Path source = linearModel("m.txt");
        ModelVersion first = registry.register(request("credit", source, List.of()));
        clock.advance(Duration.ofMinutes(5));
        ModelVersion second = registry.register(request("credit", source, List.of(golden(0, 0, 1.0))));

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(registry.version("credit", 1)).isEqualTo(first);
        assertThat(storedArtifactFiles()).hasSize(1);
    }

    @Test
    void theSourceFileChangingAfterRegistrationDoesNotChangeTheVersion() throws IOException {
        Path source = linearModel("m.txt");
        ModelVersion v = registry.register(request("credit", source, List.of()));
        LinearModels.write(source, List.of("age", "income"), 9.0, 9.0, 9.0);

        assertThat(Files.readAllBytes(registry.artifact(v))).isNotEqualTo(Files.readAllBytes(source));
        try (Model m = RegistryModels.load(registry, "credit", "1")) {
            assertThat(m.predictRows(List.of(Row.of("age", 2.0, "income", 4.0))).get(0).get("score")).isEqualTo(1.0);
        }
    }

    // ---- tampering ----------------------------------------------------------------------

    @Test
    void aTamperedArtifactIsRefusedNamingFileAndBothHashes() throws IOException {
        ModelVersion v = registerLinear("credit");
        Path stored = registry.artifact(v);
        Files.writeString(stored, "ferry-linear 1\nfeatures age income\nweights 5 5\nbias 0\n");

        assertThatThrownBy(() -> registry.artifact(v))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining(stored.toString())
                .hasMessageContaining(v.sha256())
                .hasMessageContaining("but expected");
        assertThatThrownBy(() -> RegistryModels.load(registry, "credit", "1")).isInstanceOf(ValidationFailedException.class);
    }

    @Test
    void aTruncatedArtifactIsRefused() throws IOException {
        ModelVersion v = registerLinear("credit");
        Path stored = registry.artifact(v);
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }

        assertThatThrownBy(() -> open().artifact(v))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining(stored.toString())
                .hasMessageContaining("expected " + v.sha256());
    }

    @Test
    void aDeletedArtifactIsRefused() throws IOException {
        ModelVersion v = registerLinear("credit");
        Files.delete(registry.artifact(v));

        assertThatThrownBy(() -> registry.artifact(v)).isInstanceOf(ValidationFailedException.class).hasMessageContaining("missing");
    }

    // ---- the validation gate ------------------------------------------------------------

    @Test
    void aFailingGoldenExampleIsRefusedAndNothingIsStored() throws IOException {
        Path source = linearModel("m.txt");
        assertThatThrownBy(() -> registry.register(request("credit", source, List.of(golden(2, 4, 1.0), golden(2, 4, 7.5)))))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("golden example 1")
                .hasMessageContaining("'score'")
                .hasMessageContaining("7.5");

        assertThat(registry.models()).doesNotContain("credit");
        assertThat(storedArtifactFiles()).isEmpty();
        assertThatThrownBy(() -> registry.versions("credit")).isInstanceOf(NotFoundException.class);
        assertThat(registerLinear("credit").version()).as("no number was used up").isEqualTo(1);
    }

    @Test
    void aClaimedSignatureTheArtifactContradictsIsRefusedAndNothingIsStored() throws IOException {
        RegisterRequest wrongOutput = new RegisterRequest("credit", linearModel("m.txt"), ModelFormat.LIGHTGBM,
                Optional.of(claimedSignature("probability")), provenance(), List.of(), "alice", "");
        assertThatThrownBy(() -> registry.register(wrongOutput))
                .isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("signature")
                .hasMessageContaining("probability");

        ModelSignature threeFeatures = new ModelSignature(List.of(Field.of("a", FeatureType.FLOAT64), Field.of("b", FeatureType.FLOAT64),
                Field.of("c", FeatureType.FLOAT64)), InputLayout.PACKED, List.of(TensorSpec.of("input", ScalarType.FLOAT64, -1, 3)),
                List.of(TensorSpec.of("score", ScalarType.FLOAT64, -1)), Map.of());
        RegisterRequest wrongFeatures = new RegisterRequest("credit", linearModel("m2.txt"), ModelFormat.LIGHTGBM,
                Optional.of(threeFeatures), provenance(), List.of(), "alice", "");
        assertThatThrownBy(() -> registry.register(wrongFeatures)).isInstanceOf(ValidationFailedException.class)
                .hasMessageContaining("3");

        assertThat(registry.models()).isEmpty();
        assertThat(storedArtifactFiles()).isEmpty();
    }

    @Test
    void aMatchingClaimedSignatureIsAccepted() {
        RegisterRequest ok = new RegisterRequest("credit", linearModel("m.txt"), ModelFormat.LIGHTGBM,
                Optional.of(claimedSignature("score")), provenance(), List.of(golden(2, 4, 1.0)), "alice", "");

        assertThat(registry.register(ok).signature()).isEqualTo(claimedSignature("score"));
    }

    @Test
    void aFileThatIsNotAModelIsRefusedAndNothingIsStored() throws IOException {
        Path junk = Files.writeString(work.resolve("junk.txt"), "hello");

        assertThatThrownBy(() -> registry.register(request("credit", junk, List.of()))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("junk.txt");
        assertThat(registry.models()).isEmpty();
        assertThat(storedArtifactFiles()).isEmpty();
    }

    @Test
    void aMissingArtifactFileIsNamedInTheError() {
        Path missing = work.resolve("nope.txt");

        assertThatThrownBy(() -> registry.register(request("credit", missing, List.of()))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void invalidModelNamesAreRefusedWithTheRule() {
        for (String bad : List.of("", "../etc", ".hidden", "has space", "a/b")) {
            assertThatThrownBy(() -> registry.register(request(bad, linearModel("m.txt"), List.of())))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("model name was '" + bad + "'")
                    .hasMessageContaining("letters, digits");
        }
        assertThat(registry.models()).isEmpty();
    }

    // ---- loading ------------------------------------------------------------------------

    @Test
    void loadingAVersionVerifiesItAndReturnsAWorkingModel() {
        registerLinear("credit");
        try (Model m = RegistryModels.load(registry, "credit", "latest")) {
            List<Row> out = m.predictRows(List.of(Row.of("age", 30.0, "income", 8.0)));
            assertThat(out.get(0).get("score")).isEqualTo(1 + 15.0 - 2.0);
        }
        assertThat(RegistryModels.validate(registry, "credit", "1").goldenExamples()).isEqualTo(2);
    }

    // ---- aliases ------------------------------------------------------------------------

    @Test
    void settingAnAliasRecordsWhoWhenFromToAndWhy() {
        registerLinear("credit");
        registerLinear("credit");

        AliasEvent first = registry.setAlias("credit", "champion", 1, "bob", "first release");
        clock.advance(Duration.ofHours(1));
        AliasEvent second = registry.setAlias("credit", "champion", 2, "carol", "better auc");

        assertThat(first).isEqualTo(new AliasEvent("credit", "champion", null, 1, "bob", START, "first release"));
        assertThat(second).isEqualTo(new AliasEvent("credit", "champion", 1, 2, "carol", START.plus(Duration.ofHours(1)), "better auc"));
        assertThat(open().aliasHistory("credit")).containsExactly(first, second);
        assertThat(registry.aliases("credit")).isEqualTo(Map.of("champion", 2));
    }

    @Test
    void severalAliasesMoveIndependently() {
        registerLinear("credit");
        registerLinear("credit");
        registry.setAlias("credit", "champion", 1, "bob", "");
        registry.setAlias("credit", "challenger", 2, "bob", "");

        assertThat(registry.aliases("credit")).isEqualTo(Map.of("champion", 1, "challenger", 2));
        assertThat(registry.resolve("credit", "challenger").version()).isEqualTo(2);
    }

    @Test
    void settingAnAliasToWhereItAlreadyPointsRecordsNothing() {
        registerLinear("credit");
        AliasEvent first = registry.setAlias("credit", "champion", 1, "bob", "release");

        assertThat(registry.setAlias("credit", "champion", 1, "bob", "again")).isEqualTo(first);
        assertThat(registry.aliasHistory("credit")).hasSize(1);
    }

    @Test
    void rollbackMovesTheAliasBackToItsPreviousVersionAndIsRecorded() {
        registerLinear("credit");
        registerLinear("credit");
        registerLinear("credit");
        registry.setAlias("credit", "champion", 1, "bob", "");
        registry.setAlias("credit", "champion", 3, "bob", "v3 is better");
        clock.advance(Duration.ofMinutes(7));

        AliasEvent rb = registry.rollback("credit", "champion", "dave");

        assertThat(rb).isEqualTo(new AliasEvent("credit", "champion", 3, 1, "dave", START.plus(Duration.ofMinutes(7)), "rollback"));
        assertThat(registry.aliases("credit")).containsEntry("champion", 1);
        assertThat(registry.resolve("credit", "champion").version()).isEqualTo(1);
        assertThat(registry.aliasHistory("credit")).hasSize(3).last().isEqualTo(rb);
    }

    @Test
    void rollingBackAnAliasThatNeverMovedIsAClearError() {
        registerLinear("credit");
        registry.setAlias("credit", "champion", 1, "bob", "");

        assertThatThrownBy(() -> registry.rollback("credit", "champion", "dave"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("champion")
                .hasMessageContaining("no previous version");
        assertThat(registry.aliasHistory("credit")).hasSize(1);
    }

    @Test
    void rollingBackAnUnknownAliasIsNotFound() {
        registerLinear("credit");

        assertThatThrownBy(() -> registry.rollback("credit", "champion", "dave"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no alias 'champion'");
    }

    @Test
    void anAliasCannotPointAtAMissingVersionOrHaveAReservedName() {
        registerLinear("credit");

        assertThatThrownBy(() -> registry.setAlias("credit", "champion", 4, "bob", ""))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no version 4");
        assertThatThrownBy(() -> registry.setAlias("credit", "latest", 1, "bob", ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> registry.setAlias("credit", "3", 1, "bob", ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("alias was '3'");
        assertThat(registry.aliasHistory("credit")).isEmpty();
    }

    // ---- resolve and not-found ----------------------------------------------------------

    @Test
    void resolveAcceptsANumberAnAliasOrLatest() {
        registerLinear("credit");
        registerLinear("credit");
        registerLinear("credit");
        registry.setAlias("credit", "champion", 2, "bob", "");

        assertThat(registry.resolve("credit", "1").version()).isEqualTo(1);
        assertThat(registry.resolve("credit", "champion").version()).isEqualTo(2);
        assertThat(registry.resolve("credit", "latest").version()).isEqualTo(3);
    }

    @Test
    void unknownModelsVersionsAndAliasesAreNotFoundWithClearMessages() {
        registerLinear("credit");

        assertThatThrownBy(() -> registry.versions("fraud")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("model 'fraud' is not registered").hasMessageContaining("credit");
        assertThatThrownBy(() -> registry.version("fraud", 1)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'fraud'");
        assertThatThrownBy(() -> registry.version("credit", 9)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("model 'credit' has no version 9").hasMessageContaining("1 to 1");
        assertThatThrownBy(() -> registry.resolve("credit", "staging")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no alias 'staging'");
        assertThatThrownBy(() -> registry.aliases("fraud")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> registry.aliasHistory("fraud")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> registry.resolve("credit", "0")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("numbered from 1");
    }

    @Test
    void anEmptyRegistryHasNoModels() {
        assertThat(registry.models()).isEmpty();
    }

    // ---- concurrency --------------------------------------------------------------------

    @Test
    void concurrentRegistrationsFromTwoInstancesGetDistinctNumbers() throws Exception {
        ModelRegistry a = registry;
        ModelRegistry b = open();
        Path source = linearModel("m.txt");
        int perInstance = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < perInstance; i++) {
                for (ModelRegistry r : List.of(a, b)) {
                    Callable<Integer> task = () -> {
                        start.await();
                        return r.register(request("credit", source, List.of(golden(2, 4, 1.0)))).version();
                    };
                    futures.add(pool.submit(task));
                }
            }
            start.countDown();
            List<Integer> numbers = new ArrayList<>();
            for (Future<Integer> f : futures) {
                numbers.add(f.get());
            }
            assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        } finally {
            pool.shutdownNow();
        }
        assertThat(b.versions("credit")).extracting(ModelVersion::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void concurrentAliasMovesAreAllRecorded() throws Exception {
        registerLinear("credit");
        registerLinear("credit");
        ModelRegistry b = open();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AliasEvent>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ModelRegistry r = i % 2 == 0 ? registry : b;
                int target = i % 2 == 0 ? 1 : 2;
                futures.add(pool.submit(() -> {
                    start.await();
                    return r.setAlias("credit", "champion", target, "bot", "flip");
                }));
            }
            start.countDown();
            for (Future<AliasEvent> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<AliasEvent> history = registry.aliasHistory("credit");
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).fromVersion()).as("each move starts where the previous one ended")
                    .isEqualTo(history.get(i - 1).toVersion());
        }
        assertThat(registry.aliases("credit").get("champion")).isEqualTo(history.get(history.size() - 1).toVersion());
    }
}
