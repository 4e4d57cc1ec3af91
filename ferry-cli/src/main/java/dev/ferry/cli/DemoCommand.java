package dev.ferry.cli;

import dev.ferry.cli.demo.CreditDemo;
import dev.ferry.features.ApplyResult;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.model.Model;
import dev.ferry.model.ModelSignature;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.types.Row;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry demo}: the main flow end to end on embedded defaults (no Redis, Kafka or
 * PostgreSQL). {@code --smoke} runs the same flow, leaves nothing running, and exits 0 only if
 * every step worked.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Ferry's main flow end to end on embedded defaults: features, training set, "
                + "training, registry, validation, prediction.")
final class DemoCommand implements Callable<Integer> {

    private static volatile boolean keepRunning;

    @Option(names = "--smoke", description = "Run every step, leave nothing running, exit 0 only if all worked.")
    boolean smoke;

    @Option(names = "--data-dir", defaultValue = "${env:FERRY_DATA_DIR:-.ferry}",
            description = "Ferry's data directory; the demo uses <data-dir>/demo and empties it first (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    /** True when the demo left a server running, so main must not exit. */
    static boolean keepRunning() {
        return keepRunning;
    }

    static Path home() {
        String h = System.getProperty("ferry.home");
        return h != null ? Path.of(h) : Path.of("").toAbsolutePath();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = dataDir.resolve("demo").toAbsolutePath();
        CreditDemo demo = new CreditDemo(home(), work);
        demo.reset();
        out.println("Ferry demo: credit scoring on embedded defaults (data in " + work + ")");
        DemoSteps steps = new DemoSteps(out, 6);

        ApplyResult applied = steps.run("Apply the feature repository examples/credit/demo", demo::applyFeatures);
        applied.changes().forEach(c -> steps.line("%-8s %-18s %s%s", c.kind(), c.name(), c.action(),
                c.version() > 0 ? " (version " + c.version() + ")" : ""));

        TrainingSetManifest manifest = steps.run("Build a point-in-time training set from 1,000 loan applications",
                demo::trainingSet);
        steps.line("%d rows, entity time %s .. %s", manifest.entities().rows(), manifest.entities().from(), manifest.entities().to());
        manifest.views().forEach(v -> steps.line("view %s@%d: %d rows matched", v.view(), v.version(), v.matched()));
        steps.line("written to %s (manifest beside it)", manifest.output().path());

        CreditDemo.Dataset data = demo.readTrainingSet(manifest);
        ModelSignature signature = demo.signature(data);
        CreditDemo.Split split = demo.split(data, 0.2);
        CreditDemo.TrainedModel[] models = steps.run("Train two XGBoost models (seed " + CreditDemo.SEED + ")", () -> {
            CreditDemo.TrainedModel champion = demo.train("champion", signature, split, 4, 100);
            CreditDemo.TrainedModel challenger = demo.train("challenger", signature, split, 6, 150);
            steps.line("%d features, %d training rows, %d held out", signature.features().size(), split.train().rows().size(),
                    split.test().rows().size());
            steps.line("champion   (depth 4, 100 rounds): held-out AUC %.3f", champion.auc());
            steps.line("challenger (depth 6, 150 rounds): held-out AUC %.3f", challenger.auc());
            return new CreditDemo.TrainedModel[] {champion, challenger};
        });

        try (ModelRegistry registry = demo.openRegistry()) {
            steps.run("Register both with golden examples and lineage; alias champion and challenger", () -> {
                ModelVersion v1 = demo.register(registry, models[0], split, manifest, "demo", "depth 4, 100 rounds");
                ModelVersion v2 = demo.register(registry, models[1], split, manifest, "demo", "depth 6, 150 rounds");
                registry.setAlias(CreditDemo.MODEL, "champion", v1.version(), "demo", "first model");
                registry.setAlias(CreditDemo.MODEL, "challenger", v2.version(), "demo", "deeper trees");
                for (ModelVersion v : List.of(v1, v2)) {
                    steps.line("%s sha256 %s..., %d golden examples passed, trained on %s", v.ref(), v.sha256().substring(0, 12),
                            v.golden().size(), v.provenance().trainingData().fingerprint().substring(0, 19));
                }
                steps.line("aliases: %s", registry.aliases(CreditDemo.MODEL));
                return null;
            });

            steps.run("Load the champion through the validation gate and predict", () -> {
                try (Model model = demo.load(registry, "champion")) {
                    steps.line("%s loaded with %s runtime %s, ready", CreditDemo.MODEL, model.format(), model.runtimeVersion());
                    List<Row> test = split.test().rows();
                    List<Row> out5 = model.predictRows(test.subList(0, 5));
                    for (int i = 0; i < out5.size(); i++) {
                        float[] p = (float[]) out5.get(i).get("probabilities");
                        steps.line("applicant %d: income %s, rate %s%% -> default probability %.3f (label %s, actual %d)", i,
                                test.get(i).get("person_income"), test.get(i).get("loan_int_rate"), p[1], out5.get(i).get("label"),
                                (int) split.test().labels()[i]);
                    }
                    long[] nanos = new long[500];
                    for (int i = 0; i < nanos.length; i++) {
                        List<Row> one = List.of(test.get(i % test.size()));
                        long t0 = System.nanoTime();
                        model.predictRows(one);
                        nanos[i] = System.nanoTime() - t0;
                    }
                    steps.line("in-process single-row predict: %s", DemoSteps.percentiles(nanos));
                }
                return null;
            });

            steps.run("Promote the challenger, then roll the champion alias back", () -> {
                registry.setAlias(CreditDemo.MODEL, "champion", 2, "demo", "promote challenger");
                var back = registry.rollback(CreditDemo.MODEL, "champion", "demo");
                steps.line("champion: 2 -> %d (rolled back)", back.toVersion());
                Map<String, Integer> aliases = registry.aliases(CreditDemo.MODEL);
                steps.line("aliases now: %s", aliases);
                return null;
            });
        }
        out.println(smoke ? "Demo smoke run: every step worked." : "Demo finished: every step worked.");
        out.flush();
        return 0;
    }
}
