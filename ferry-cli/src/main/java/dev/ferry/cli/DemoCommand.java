package dev.ferry.cli;

import dev.ferry.cli.demo.CreditDemo;
import dev.ferry.features.ApplyResult;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.model.Model;
import dev.ferry.model.ModelSignature;
import dev.ferry.cli.demo.DemoServer;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.materialize.MaterializationResult;
import dev.ferry.online.OnlineStore;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.server.FerryServer;
import java.time.Clock;
import dev.ferry.registry.ModelVersion;
import dev.ferry.types.Row;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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

    @Option(names = "--port", defaultValue = "8080", description = "Port the server listens on (default: ${DEFAULT-VALUE}; --smoke picks a free one).")
    int port;

    @Option(names = "--requests", defaultValue = "200", description = "How many /v1/predict requests to send (default: ${DEFAULT-VALUE}).")
    int requests;

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
        DemoSteps steps = new DemoSteps(out, 9);

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

        ModelRegistry registry = demo.openRegistry();
        OnlineStore online = null;
        FerryServer server = null;
        try {
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
                steps.line("champion: 2 -> %d (rolled back); aliases now %s", back.toVersion(), registry.aliases(CreditDemo.MODEL));
                return null;
            });

            Clock clock = Clock.systemUTC();
            FeatureRegistry features = Wiring.features(work);
            OnlineStore store = Wiring.onlineStore("rocksdb", work, clock);
            online = store;
            steps.run("Materialize the feature views into the embedded online store (RocksDB)", () -> {
                for (MaterializationResult r : DemoServer.materialize(features, store, work.resolve("features"), clock,
                        view -> (done, total) -> { })) {
                    steps.line("%s: %d entities online (event time up to %s), %.0f rows/s", r.view(), r.rows(), r.to(), r.rowsPerSecond());
                }
                return null;
            });

            int listen = smoke ? 0 : port;
            FerryServer started = steps.run("Start the server: deployment 'credit' = 90% champion, 10% challenger (canary)", () -> {
                FerryServer s = DemoServer.start(registry, features, store, work.resolve("serving"), listen);
                List<String> failed = s.awaitStartup();
                if (!failed.isEmpty()) {
                    s.close();
                    throw new dev.ferry.NotReadyException("the demo deployment did not start: " + failed);
                }
                steps.line("listening on http://localhost:%d, ready (models loaded, golden examples passed, warmed)", s.port());
                steps.line("web console: http://localhost:%d/console/", s.port());
                return s;
            });
            server = started;

            steps.run("Send " + requests + " real requests to POST /v1/predict/credit", () -> {
                DemoServer.Traffic t = DemoServer.send(started.port(), split.test(), requests);
                t.samples().forEach(line -> steps.line("%s", line));
                steps.line("HTTP round trip: %s", DemoSteps.percentiles(t.nanos()));
                steps.line("arms: %s; degraded answers (stored features not found): %d; failed: %d", t.arms(), t.degraded(), t.failed());
                if (t.failed() > 0) {
                    throw new dev.ferry.ValidationFailedException(t.failed() + " of " + requests + " demo requests failed");
                }
                return null;
            });

            if (smoke) {
                out.println("Demo smoke run: every step worked.");
            } else {
                keepRunning = true;
                out.printf("%nFerry is up at http://localhost:%d. Try:%n", started.port());
                out.printf("  open http://localhost:%d/console/ in a browser (the web console)%n", started.port());
                out.printf("  curl -s localhost:%d/v2/health/ready%n", started.port());
                out.printf("  curl -s -XPOST localhost:%d/v1/predict/credit -H 'Content-Type: application/json' \\%n", started.port());
                out.printf("    -d '{\"entity\":{\"dob_ssn\":\"19530219_5179\",\"zipcode\":76104},\"features\":{\"person_age\":30,\"person_income\":52000,\"person_home_ownership\":\"RENT\",\"person_emp_length\":4.0,\"loan_intent\":\"EDUCATION\",\"loan_amnt\":6000,\"loan_int_rate\":11.5}}'%n");
                out.printf("  curl -s localhost:%d/metrics | grep ferry_serving%n", started.port());
                out.printf("  admin token for /v1/admin: %s; press Ctrl-C to stop.%n", DemoServer.ADMIN_TOKEN);
                FerryServer toClose = started;
                OnlineStore storeToClose = store;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    toClose.close();
                    storeToClose.close();
                    registry.close();
                }, "ferry-demo-shutdown"));
            }
            out.flush();
            return 0;
        } finally {
            if (!keepRunning) {
                if (server != null) {
                    server.close();
                }
                if (online != null) {
                    online.close();
                }
                registry.close();
            }
        }
    }
}
