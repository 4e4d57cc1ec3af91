package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.model.ModelFormat;
import dev.ferry.model.Model;
import dev.ferry.model.ModelLoadRequest;
import dev.ferry.model.ModelRuntimes;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.AliasEvent;
import dev.ferry.registry.GoldenExample;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.registry.RegisterRequest;
import dev.ferry.registry.json.RegistryJson;
import dev.ferry.registry.mlflow.MlflowImporter;
import dev.ferry.registry.store.RegistrationSpec;
import dev.ferry.registry.store.RegistryModels;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ferry models ...}: the model registry from the command line. */
@Command(name = "models", description = "Register, list, alias, roll back and validate model versions.",
        mixinStandardHelpOptions = true,
        subcommands = {ModelsCommand.Register.class, ModelsCommand.ListModels.class, ModelsCommand.Show.class,
                ModelsCommand.Alias.class, ModelsCommand.Rollback.class, ModelsCommand.Validate.class,
                ModelsCommand.ImportMlflow.class})
final class ModelsCommand {

    static String user() {
        String u = System.getenv("FERRY_USER");
        return u != null ? u : System.getProperty("user.name", "unknown");
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        RegistryOptions registryOptions;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            try (ModelRegistry registry = registryOptions.open()) {
                run(registry);
            }
            out().flush();
            return 0;
        }

        abstract void run(ModelRegistry registry);
    }

    @Command(name = "register", description = "Validate a model file and store it as the next version of NAME.",
            mixinStandardHelpOptions = true)
    static final class Register extends Base {
        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        @Parameters(index = "1", paramLabel = "FILE", description = "The model file (.onnx, .json/.ubj, .txt).")
        Path file;

        @Option(names = "--format", description = "onnx, xgboost or lightgbm (default: from the file name).")
        String format;

        @Option(names = "--spec", paramLabel = "YAML",
                description = "Golden examples, provenance, claimed signature and message (YAML or JSON).")
        Path specFile;

        @Option(names = {"-m", "--message"}, description = "What this version is, like a commit message.")
        String message;

        @Option(names = "--by", description = "Who registers it (default: $FERRY_USER or the OS user).")
        String by;

        @Option(names = "--golden-inputs", paramLabel = "CSV",
                description = "Golden examples: input rows (a column per feature; other columns ignored).")
        Path goldenInputs;

        @Option(names = "--golden-expected", paramLabel = "CSV",
                description = "Golden examples: the outputs the training tool predicted for those rows, e.g. probabilities(0), probabilities(1).")
        Path goldenExpected;

        @Option(names = "--golden-rows", defaultValue = "20", description = "How many CSV rows become golden examples (default: ${DEFAULT-VALUE}).")
        int goldenRows;

        @Option(names = "--golden-tolerance", defaultValue = "1e-6",
                description = "Allowed difference, relative to max(1, |expected|) (default: ${DEFAULT-VALUE}).")
        double goldenTolerance;

        @Option(names = "--golden-rename", split = ",", paramLabel = "TOOL=MODEL",
                description = "Map output names of the CSV onto the model's, e.g. probability=probabilities.")
        Map<String, String> goldenRename = new java.util.LinkedHashMap<>();

        @Override
        void run(ModelRegistry registry) {
            requireFile(file, "FILE");
            if (specFile != null) {
                requireFile(specFile, "--spec");
            }
            if ((goldenInputs == null) != (goldenExpected == null)) {
                throw new InvalidInputException("--golden-inputs and --golden-expected go together; " + (goldenInputs == null
                        ? "--golden-inputs" : "--golden-expected") + " was missing");
            }
            RegisterRequest request = RegistrationSpec.request(name, file,
                    Optional.ofNullable(format).map(ModelFormat::parse), Optional.ofNullable(specFile),
                    by != null ? by : user(), message);
            if (goldenInputs != null) {
                request = withCsvGolden(request);
            }
            ModelVersion v = registry.register(request);
            out().printf("registered %s (%s, sha256 %s, %d golden example(s) passed)%n", v.ref(), v.format(),
                    v.sha256().substring(0, 12), v.golden().size());
        }

    private RegisterRequest withCsvGolden(RegisterRequest request) {
            ModelSignature signature;
            try (Model model = ModelRuntimes.load(request.format(), new ModelLoadRequest(request.artifact(), request.signature(), Map.of()))) {
                signature = model.signature();
            }
            GoldenCsv.Result golden = GoldenCsv.read(goldenInputs, goldenExpected, signature, goldenRows, goldenTolerance, goldenRename);
            if (!golden.ignoredColumns().isEmpty()) {
                out().println("golden CSV columns that name no feature or output (ignored): " + golden.ignoredColumns());
            }
            List<GoldenExample> all = new java.util.ArrayList<>(request.golden());
            all.addAll(golden.examples());
            return new RegisterRequest(request.name(), request.artifact(), request.format(), request.signature(), request.provenance(),
                    all, request.createdBy(), request.message());
        }
    }

    @Command(name = "list", description = "List models, or the versions of one model.", mixinStandardHelpOptions = true)
    static final class ListModels extends Base {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
        String name;

        @Override
        void run(ModelRegistry registry) {
            PrintWriter out = out();
            if (name == null) {
                List<String> models = registry.models();
                if (models.isEmpty()) {
                    out.println("no models registered yet (ferry models register NAME FILE)");
                    return;
                }
                out.printf("%-28s %8s  %-8s %s%n", "MODEL", "VERSIONS", "FORMAT", "ALIASES");
                for (String m : models) {
                    List<ModelVersion> versions = registry.versions(m);
                    ModelVersion latest = versions.get(versions.size() - 1);
                    out.printf("%-28s %8d  %-8s %s%n", m, versions.size(), latest.format(), aliases(registry.aliases(m)));
                }
                return;
            }
            Map<String, Integer> aliases = registry.aliases(name);
            out.printf("%-8s %-8s %-20s %-12s %-14s %s%n", "VERSION", "FORMAT", "CREATED", "BY", "SHA256", "MESSAGE");
            for (ModelVersion v : registry.versions(name)) {
                String tags = aliases.entrySet().stream().filter(e -> e.getValue() == v.version()).map(Map.Entry::getKey)
                        .sorted().reduce((a, b) -> a + "," + b).map(s -> " [" + s + "]").orElse("");
                out.printf("%-8d %-8s %-20s %-12s %-14s %s%s%n", v.version(), v.format(),
                        v.createdAt().toString().substring(0, 19), v.createdBy(), v.sha256().substring(0, 12), v.message(), tags);
            }
        }
    }

    static String aliases(Map<String, Integer> aliases) {
        return aliases.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "->" + e.getValue())
                .reduce((a, b) -> a + " " + b).orElse("-");
    }

    @Command(name = "show", description = "Show one version: signature, provenance, golden examples, aliases.",
            mixinStandardHelpOptions = true)
    static final class Show extends Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", defaultValue = "latest",
                description = "A version number, an alias or 'latest' (default).")
        String ref;

        @Option(names = "--json", description = "Print the stored record as JSON.")
        boolean json;

        @Override
        void run(ModelRegistry registry) {
            ModelVersion v = registry.resolve(name, ref);
            PrintWriter out = out();
            if (json) {
                out.println(new String(RegistryJson.writeVersion(v), StandardCharsets.UTF_8));
                return;
            }
            out.printf("%s  %s (runtime %s)%n", v.ref(), v.format(), v.runtimeVersion());
            out.printf("  artifact   %s  sha256 %s  %d bytes%n", v.fileName(), v.sha256(), v.sizeBytes());
            out.printf("  created    %s by %s%n", v.createdAt(), v.createdBy());
            out.printf("  message    %s%n", v.message().isEmpty() ? "-" : v.message());
            out.printf("  features   %s%n", v.signature().features());
            if (!v.signature().categories().isEmpty()) {
                out.printf("  categories %s%n", v.signature().categories());
            }
            out.printf("  inputs     %s%n", v.signature().inputs());
            out.printf("  outputs    %s%n", v.signature().outputs());
            var p = v.provenance();
            if (p.trainingData() != null) {
                var td = p.trainingData();
                out.printf("  data       %s %s rows=%d from=%s to=%s%n", td.source(), td.fingerprint(), td.rows(), td.from(), td.to());
            }
            out.printf("  code       %s%s%n", p.code().commit(), p.code().dirty() ? " (dirty)" : "");
            if (!p.parameters().isEmpty()) {
                out.printf("  parameters %s%n", p.parameters());
            }
            if (p.seed() != null) {
                out.printf("  seed       %d%n", p.seed());
            }
            if (!p.metrics().isEmpty()) {
                out.printf("  metrics    %s%n", p.metrics());
            }
            if (!p.features().isEmpty()) {
                out.printf("  expects    %s%n", p.features());
            }
            if (p.runId() != null) {
                out.printf("  run        %s%n", p.runId());
            }
            out.printf("  golden     %d example(s)%n", v.golden().size());
            out.printf("  aliases    %s%n", aliases(registry.aliases(name)));
            List<AliasEvent> history = registry.aliasHistory(name);
            if (!history.isEmpty()) {
                out.println("  alias history:");
                for (AliasEvent e : history) {
                    out.printf("    %s  %-12s %s -> %s  by %s  %s%n", e.at(), e.alias(), e.fromVersion() == null ? "-" : e.fromVersion(),
                            e.toVersion() == null ? "-" : e.toVersion(), e.actor(), e.reason() == null ? "" : e.reason());
                }
            }
        }
    }

    @Command(name = "alias", description = "Point an alias (champion, challenger, any name) at a version.",
            mixinStandardHelpOptions = true)
    static final class Alias extends Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", paramLabel = "VERSION", description = "A version number, an alias, or 'latest'.")
        String ref;

        @Option(names = "--reason", defaultValue = "", description = "Why; kept in the audit history.")
        String reason;

        @Option(names = "--by", description = "Who moves it (default: $FERRY_USER or the OS user).")
        String by;

        @Override
        void run(ModelRegistry registry) {
            int version = registry.resolve(name, ref).version();
            AliasEvent e = registry.setAlias(name, alias, version, by != null ? by : user(), reason);
            out().printf("%s %s: %s -> %d%n", name, alias, e.fromVersion() == null ? "(new)" : e.fromVersion(), e.toVersion());
        }
    }

    @Command(name = "rollback", description = "Move an alias back to the version it pointed at before its last move.",
            mixinStandardHelpOptions = true)
    static final class Rollback extends Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS", defaultValue = "champion", arity = "0..1")
        String alias;

        @Option(names = "--by", description = "Who rolls back (default: $FERRY_USER or the OS user).")
        String by;

        @Override
        void run(ModelRegistry registry) {
            long start = System.nanoTime();
            AliasEvent e = registry.rollback(name, alias, by != null ? by : user());
            double ms = (System.nanoTime() - start) / 1e6;
            out().printf("%s %s rolled back: %s -> %s (%.1f ms)%n", name, alias, e.fromVersion(), e.toVersion(), ms);
        }
    }

    @Command(name = "validate", description = "Verify a version's artifact hash, load it and rerun its golden examples.",
            mixinStandardHelpOptions = true)
    static final class Validate extends Base {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", defaultValue = "latest")
        String ref;

        @Override
        void run(ModelRegistry registry) {
            RegistryModels.validate(registry, name, ref).lines().forEach(out()::println);
            out().println("OK");
        }
    }

    @Command(name = "import-mlflow", description = "Register an MLflow model directory (onnx, xgboost or lightgbm flavour).",
            mixinStandardHelpOptions = true)
    static final class ImportMlflow extends Base {
        @Parameters(index = "0", paramLabel = "DIR", description = "The directory holding the MLmodel file.")
        Path dir;

        @Option(names = "--name", required = true, description = "The Ferry model name to register under.")
        String name;

        @Option(names = {"-m", "--message"})
        String message;

        @Option(names = "--by")
        String by;

        @Override
        void run(ModelRegistry registry) {
            if (!Files.isDirectory(dir)) {
                throw new InvalidInputException("DIR was '" + dir + "' but it must be an MLflow model directory (with an MLmodel file)");
            }
            ModelVersion v = registry.register(MlflowImporter.importRequest(dir, name, by != null ? by : user(),
                    message != null ? message : "imported from MLflow " + dir.toAbsolutePath()));
            out().printf("registered %s (%s) from %s, %d golden example(s) from the input example%n", v.ref(), v.format(), dir,
                    v.golden().size());
        }
    }

    static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(what + " was '" + file + "' but no such file exists");
        }
    }
}
