package dev.ferry.cli;

import dev.ferry.cli.demo.CreditDemo;
import dev.ferry.cli.demo.DemoServer;
import dev.ferry.features.ApplyResult;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.model.Model;
import dev.ferry.online.OnlineStore;
import dev.ferry.registry.ModelRegistry;
import dev.ferry.registry.ModelVersion;
import dev.ferry.rollout.RolloutState;
import dev.ferry.server.FerryServer;
import dev.ferry.types.Row;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
        DemoSteps steps = new DemoSteps(out, 6);

        ApplyResult applied = steps.run("Apply the feature repository examples/credit/demo", demo::applyFeatures);
        applied.changes().forEach(c -> steps.line("%-8s %-18s %s%s", c.kind(), c.name(), c.action(),
                c.version() > 0 ? " (version " + c.version() + ")" : ""));

        Clock clock = Clock.systemUTC();
        ModelRegistry registry = demo.openRegistry();
        OnlineStore online = null;
        FerryServer server = null;
        try {
            OnlineStore store = Wiring.onlineStore("rocksdb", work, clock);
            online = store;
            CreditDemo.PipelineRun run = steps.run("Run the tracked pipeline examples/credit/pipeline.yaml (seed " + CreditDemo.SEED
                    + "): quality gate, training set, two XGBoost models, evaluation, registration, materialization", () -> {
                CreditDemo.PipelineRun r = demo.runPipeline(registry, store, step -> steps.line("%-24s %-9s %6d ms%s", step.id(),
                        step.status(), step.millis(), step.metrics().isEmpty() ? "" : "  " + CreditDemo.brief(step.metrics())));
                steps.line("run %s: %s; every step, seed, input fingerprint and the code version recorded (ferry runs show %s)",
                        r.record().id(), r.record().status(), r.record().id());
                r.qualityWarnings().forEach(w -> steps.line("quality warning: %s", w));
                return r;
            });
            TrainingSetManifest manifest = run.manifest();
            steps.line("training set: %d rows, entity time %s .. %s; %s", manifest.entities().rows(), manifest.entities().from(),
                    manifest.entities().to(), manifest.views().stream().map(v -> v.view() + "@" + v.version() + " matched " + v.matched()).toList());
            for (ModelVersion v : List.of(registry.version(CreditDemo.MODEL, run.champion()), registry.version(CreditDemo.MODEL, run.challenger()))) {
                steps.line("%s (%s): held-out AUC %.3f, %d golden examples, trained on %s by run %s", v.ref(), v.message(),
                        v.provenance().metrics().get("auc"), v.golden().size(), v.provenance().trainingData().fingerprint().substring(0, 19),
                        v.provenance().runId());
            }
            registry.setAlias(CreditDemo.MODEL, "champion", run.champion(), "demo", "shallower trees");
            registry.setAlias(CreditDemo.MODEL, "challenger", run.challenger(), "demo", "deeper trees");
            steps.line("aliases: %s", registry.aliases(CreditDemo.MODEL));

            CreditDemo.Dataset data = demo.readTrainingSet(manifest);
            CreditDemo.Split split = demo.split(data, 0.2);

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
                registry.setAlias(CreditDemo.MODEL, "champion", run.challenger(), "demo", "promote challenger");
                var back = registry.rollback(CreditDemo.MODEL, "champion", "demo");
                steps.line("champion: %d -> %d (rolled back); aliases now %s", run.challenger(), back.toVersion(), registry.aliases(CreditDemo.MODEL));
                return null;
            });

            FeatureRegistry features = Wiring.features(work);

            int listen = smoke ? 0 : port;
            DemoServer.Started started = steps.run("Start the server: deployment 'credit' serves the champion; roll the challenger out"
                    + " in stages (offline check, shadow, canary 5-10-25-100 %, watch) with gates", () -> {
                DemoServer.Started s = DemoServer.start(registry, features, store, work, listen);
                List<String> failed = s.server().awaitStartup();
                if (!failed.isEmpty()) {
                    s.server().close();
                    throw new dev.ferry.NotReadyException("the demo deployment did not start: " + failed);
                }
                steps.line("listening on http://localhost:%d, ready (models loaded, golden examples passed, warmed)", s.server().port());
                steps.line("web console: http://localhost:%d/console/; live monitoring: /v1/monitoring/deployments/credit", s.server().port());
                RolloutState r = DemoServer.startRollout(s.rollouts(), run.challenger(), Duration.ofSeconds(smoke ? 1 : 20));
                steps.line("rollout %s: %s -> %s, now %s", r.id(), r.champion(), r.plan().candidate(), r.label());
                r.gates().forEach(g -> steps.line("  gate %-22s %-8s %s", g.gate(), g.verdict(), g.message()));
                return s;
            });
            server = started.server();
            String rolloutId = started.rollouts().list().getFirst().id();

            steps.run("Send " + requests + " real requests to POST /v1/predict/credit (after " + DemoServer.WARM_UP + " to warm up)", () -> {
                DemoServer.Traffic t = DemoServer.send(started.server().port(), split.test(), requests);
                t.samples().forEach(line -> steps.line("%s", line));
                steps.line("HTTP round trip: %s", DemoSteps.percentiles(t.nanos()));
                steps.line("arms: %s; answers with stored features not found: %d; answered by the fallback chain: %d; failed: %d",
                        t.arms(), t.missingFeatures(), t.fallbacks(), t.failed());
                if (t.failed() > 0) {
                    throw new dev.ferry.ValidationFailedException(t.failed() + " of " + requests + " demo requests failed");
                }
                RolloutState r = started.rollouts().status(rolloutId);
                steps.line("rollout %s: %s after %d transitions%s", r.id(), r.label(), r.history().size(),
                        r.failure().map(f -> "; rolled back by " + f.gate() + ": " + f.message()).orElse(""));
                r.gates().forEach(g -> steps.line("  gate %-22s %-8s %s", g.gate(), g.verdict(), g.message()));
                return null;
            });

            if (smoke) {
                out.println("Demo smoke run: every step worked.");
            } else {
                keepRunning = true;
                FerryServer up = started.server();
                DemoServer.trickle(up.port(), split.test(), 10);
                out.printf("%nFerry is up at http://localhost:%d. Try:%n", up.port());
                out.printf("  open http://localhost:%d/console/ in a browser (the web console): the rollout %s advances there,%n", up.port(), rolloutId);
                out.printf("    fed by 10 requests/s the demo keeps sending%n");
                out.printf("  curl -s localhost:%d/v2/health/ready%n", up.port());
                out.printf("  curl -s -XPOST localhost:%d/v1/predict/credit -H 'Content-Type: application/json' \\%n", up.port());
                out.printf("    -d '{\"entity\":{\"dob_ssn\":\"19530219_5179\",\"zipcode\":76104},\"features\":{\"person_age\":30,\"person_income\":52000,\"person_home_ownership\":\"RENT\",\"person_emp_length\":4.0,\"loan_intent\":\"EDUCATION\",\"loan_amnt\":6000,\"loan_int_rate\":11.5}}'%n");
                out.printf("  curl -s localhost:%d/metrics | grep ferry_serving%n", up.port());
                out.printf("  FERRY_SERVER=http://localhost:%d FERRY_ADMIN_TOKEN=%s ./ferry rollout status %s%n", up.port(),
                        DemoServer.ADMIN_TOKEN, rolloutId);
                out.printf("  admin token for /v1/admin and the console's actions: %s; press Ctrl-C to stop.%n", DemoServer.ADMIN_TOKEN);
                FerryServer toClose = up;
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
